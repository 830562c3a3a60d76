//! Who may do what, beyond what row-level security already decides (it confines a portal user to
//! its own customer's rows; these rules keep each kind of principal to its own operations).

use leora_tenancy::{Principal, TenantContext};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::error::OrdersError;

/// The author of a write, for the `placed_by` / `owner` columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Actor {
    User(Uuid),
    Portal {
        portal_user_id: Uuid,
        customer_id: Uuid,
    },
    /// A background job acting for the tenant: recorded as no one.
    System,
}

impl Actor {
    pub fn of(ctx: &TenantContext) -> Result<Self, OrdersError> {
        match ctx.principal() {
            Principal::User { user_id } => Ok(Self::User(user_id)),
            Principal::PortalUser {
                portal_user_id,
                customer_id,
            } => Ok(Self::Portal {
                portal_user_id,
                customer_id,
            }),
            Principal::System => Ok(Self::System),
            Principal::Anonymous => Err(OrdersError::Forbidden {
                reason: "sign in first",
            }),
        }
    }

    pub fn user_id(self) -> Option<Uuid> {
        match self {
            Self::User(user_id) => Some(user_id),
            _ => None,
        }
    }

    pub fn portal_user_id(self) -> Option<Uuid> {
        match self {
            Self::Portal { portal_user_id, .. } => Some(portal_user_id),
            _ => None,
        }
    }

    /// A portal user acts only for its own customer. Checked before any read so the answer is
    /// `FORBIDDEN` rather than the `NOT_FOUND` row-level security would produce.
    pub fn may_act_for(self, customer_id: Uuid) -> Result<(), OrdersError> {
        match self {
            Self::Portal {
                customer_id: own, ..
            } if own != customer_id => Err(OrdersError::Forbidden {
                reason: "a portal user may act only for its own customer",
            }),
            _ => Ok(()),
        }
    }
}

/// The portal user (and its customer) of a cart operation: only portal users have carts.
pub(crate) fn portal_user(ctx: &TenantContext) -> Result<(Uuid, Uuid), OrdersError> {
    match Actor::of(ctx)? {
        Actor::Portal {
            portal_user_id,
            customer_id,
        } => Ok((portal_user_id, customer_id)),
        _ => Err(OrdersError::Forbidden {
            reason: "only portal users have carts",
        }),
    }
}

/// Staff (or a job of the tenant): invoicing and payments are the distributor's books.
pub(crate) fn staff(ctx: &TenantContext, reason: &'static str) -> Result<(), OrdersError> {
    match Actor::of(ctx)? {
        Actor::User(_) | Actor::System => Ok(()),
        Actor::Portal { .. } => Err(OrdersError::Forbidden { reason }),
    }
}

/// The rows of `E` the principal reads, `customer` being `E`'s customer column. Row-level security
/// already confines a portal user to its own customer's rows; saying so as well lets the planner
/// use the customer-leading index instead of filtering the tenant's every row.
pub(crate) fn customer_rows<E: EntityTrait>(ctx: &TenantContext, customer: E::Column) -> Select<E> {
    match ctx.customer_id() {
        Some(own) => E::find().filter(customer.eq(own)),
        None => E::find(),
    }
}
