//! Who a request acts for: its tenant and its principal.

use uuid::Uuid;

/// The authenticated (or not yet authenticated) actor of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// Before login: only tenant-level lookups (login itself) are possible.
    Anonymous,
    /// A distributor's staff member (admin, manager, rep).
    User { user_id: Uuid },
    /// Staff of one of the tenant's customers, narrowed to that customer's rows by the database.
    PortalUser {
        portal_user_id: Uuid,
        customer_id: Uuid,
    },
    /// Background jobs (health snapshots, webhook delivery) acting for the whole tenant.
    System,
}

/// The tenant scope a transaction runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantContext {
    tenant_id: Uuid,
    principal: Principal,
}

impl TenantContext {
    pub fn new(tenant_id: Uuid, principal: Principal) -> Self {
        Self {
            tenant_id,
            principal,
        }
    }

    pub fn anonymous(tenant_id: Uuid) -> Self {
        Self::new(tenant_id, Principal::Anonymous)
    }

    pub fn system(tenant_id: Uuid) -> Self {
        Self::new(tenant_id, Principal::System)
    }

    pub fn user(tenant_id: Uuid, user_id: Uuid) -> Self {
        Self::new(tenant_id, Principal::User { user_id })
    }

    pub fn portal_user(tenant_id: Uuid, portal_user_id: Uuid, customer_id: Uuid) -> Self {
        Self::new(
            tenant_id,
            Principal::PortalUser {
                portal_user_id,
                customer_id,
            },
        )
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    pub fn principal(&self) -> Principal {
        self.principal
    }

    /// The customer a portal request is confined to; `None` for everyone else.
    pub fn customer_id(&self) -> Option<Uuid> {
        match self.principal {
            Principal::PortalUser { customer_id, .. } => Some(customer_id),
            _ => None,
        }
    }

    /// The internal user a request acts for, whose team's accounts it may see; `None` for
    /// everyone else.
    pub fn user_id(&self) -> Option<Uuid> {
        match self.principal {
            Principal::User { user_id } => Some(user_id),
            _ => None,
        }
    }
}
