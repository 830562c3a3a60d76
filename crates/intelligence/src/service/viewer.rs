//! Whose rep work a principal may see and act on.
//!
//! Row-level security already confines every request to its tenant and keeps portal users out of
//! the intelligence tables; within a tenant, visibility follows the sales organisation:
//!
//! * holders of `accounts.view_all` (admins) and background jobs see the whole tenant;
//! * everyone else sees their *team*: themselves plus the users whose `manager_id` is them. A rep
//!   with no reports is a team of one, so reps and managers follow the same rule;
//! * an item is visible when a team member owns it (logged the activity, holds the call plan, is
//!   the task's assignee or creator) or when it concerns a customer whose `assigned_rep_id` is a
//!   team member.
//!
//! The team is the database's own `get_account_team()`, the function the account-scope policies on
//! customers, orders, invoices … call (see `docs/architecture.md`, "Account scope"), so the work a
//! rep sees here and the accounts they see everywhere else follow one definition.

use leora_catalog::entities::customers;
use leora_tenancy::sql::stmt;
use leora_tenancy::{Principal, TenantTx};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, FromQueryResult};
use uuid::Uuid;

use crate::error::IntelligenceError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Admins and background jobs.
    Tenant,
    /// The viewer and their direct reports (never empty: the viewer is always a member).
    Team(Vec<Uuid>),
}

/// The principal of a request, resolved to what it may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// The internal user acting; `None` for background jobs.
    pub user_id: Option<Uuid>,
    pub reach: Reach,
}

#[derive(FromQueryResult)]
struct TeamRow {
    id: Uuid,
    sees_all_accounts: bool,
}

impl Viewer {
    /// Background work for the whole tenant.
    pub fn system() -> Self {
        Self {
            user_id: None,
            reach: Reach::Tenant,
        }
    }

    /// Resolves the transaction's principal with one query. Portal users and anonymous requests
    /// are refused: the intelligence data is internal (row-level security would show them nothing
    /// anyway).
    pub async fn resolve(tx: &TenantTx) -> Result<Self, IntelligenceError> {
        let user_id = match tx.context().principal() {
            Principal::System => return Ok(Self::system()),
            Principal::User { user_id } => user_id,
            Principal::PortalUser { .. } | Principal::Anonymous => {
                return Err(IntelligenceError::Forbidden {
                    reason: "sales intelligence is for internal users",
                });
            }
        };
        let rows = TeamRow::find_by_statement(stmt(
            "SELECT u.id, (SELECT get_account_team() IS NULL) AS sees_all_accounts
               FROM users u
              WHERE u.id = $1 OR u.manager_id = $1
              ORDER BY u.id",
            [user_id.into()],
        ))
        .all(tx)
        .await?;
        if !rows.iter().any(|row| row.id == user_id) {
            return Err(IntelligenceError::Forbidden {
                reason: "the signed-in user no longer exists",
            });
        }
        let reach = if rows.iter().any(|row| row.sees_all_accounts) {
            Reach::Tenant
        } else {
            Reach::Team(rows.into_iter().map(|row| row.id).collect())
        };
        Ok(Self {
            user_id: Some(user_id),
            reach,
        })
    }

    /// The acting user, the default owner of what they record; a background job has none and
    /// must name one in `field`.
    pub fn acting_user(&self, field: &'static str) -> Result<Uuid, IntelligenceError> {
        self.user_id.ok_or_else(|| {
            IntelligenceError::bad_input(field, "a background job must name the user it acts for")
        })
    }

    pub fn is_tenant_wide(&self) -> bool {
        self.reach == Reach::Tenant
    }

    /// Whether work may be recorded for, or assigned to, `user_id`.
    pub fn may_act_for(&self, user_id: Uuid) -> bool {
        match &self.reach {
            Reach::Tenant => true,
            Reach::Team(members) => members.contains(&user_id),
        }
    }

    /// The user a write names in `field` when the viewer may act for them (`Forbidden`
    /// otherwise), or the acting user when it names none.
    pub fn act_for(
        &self,
        named: Option<Uuid>,
        field: &'static str,
    ) -> Result<Uuid, IntelligenceError> {
        match named {
            Some(user_id) => self.check_act_for(user_id),
            None => self.acting_user(field),
        }
    }

    /// `user_id` when the viewer may act for them, else `Forbidden`.
    pub fn check_act_for(&self, user_id: Uuid) -> Result<Uuid, IntelligenceError> {
        if self.may_act_for(user_id) {
            Ok(user_id)
        } else {
            Err(IntelligenceError::Forbidden {
                reason: "you may only act for yourself and your direct reports",
            })
        }
    }

    /// Rows owned by a team member (any of `owners`) or about a team member's customer.
    /// Everything for tenant-wide viewers.
    pub fn sees<C: ColumnTrait>(&self, owners: &[C], customer: C) -> Condition {
        match &self.reach {
            Reach::Tenant => Condition::all(),
            Reach::Team(members) => {
                let mut any = Condition::any();
                for owner in owners {
                    any = any.add(owner.is_in(members.iter().copied()));
                }
                any.add(customer.in_subquery(accounts_of(members)))
            }
        }
    }

    /// Customers assigned to a team member. Everything for tenant-wide viewers.
    pub fn sees_customer<C: ColumnTrait>(&self, customer: C) -> Condition {
        match &self.reach {
            Reach::Tenant => Condition::all(),
            Reach::Team(members) => {
                Condition::all().add(customer.in_subquery(accounts_of(members)))
            }
        }
    }
}

/// `SELECT id FROM customers WHERE assigned_rep_id IN (members)`.
fn accounts_of(members: &[Uuid]) -> SelectStatement {
    Query::select()
        .column(customers::Column::Id)
        .from(customers::Entity)
        .and_where(customers::Column::AssignedRepId.is_in(members.iter().copied()))
        .to_owned()
}
