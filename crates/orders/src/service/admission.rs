//! What an order must clear to be submitted (docs/domain-rules.md, "Licences, credit and
//! discounts"): the customer's liquor licence and its credit. Both are checked wherever an order is
//! submitted — `createOrder` with `submit`, `submitOrder`, `checkoutCart` — for staff and portal
//! users alike; drafts are saved without them.
//!
//! The rules themselves are plain functions ([`licence_problem`], [`over_credit`]); the database
//! parts read the customer's exposure and the actor's standing.

use chrono::NaiveDate;
use leora_catalog::entities::customers;
use leora_tenancy::graphql::Permission;
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};
use uuid::Uuid;

use super::access::Actor;
use crate::error::OrdersError;

/// Why a customer may not be sold to today (three-tier law: a retailer buys only while licensed,
/// and only for delivery in the state that licensed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenceProblem {
    /// No licence on file, or one without its state or expiry date.
    Missing,
    /// The licence's last valid day was `expired_on`.
    Expired { expired_on: NaiveDate },
    /// Licensed in one state, delivering to another.
    StateMismatch {
        licence_state: String,
        shipping_state: String,
    },
}

impl LicenceProblem {
    /// The `extensions.reason` a client switches on.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Missing => "LICENSE_MISSING",
            Self::Expired { .. } => "LICENSE_EXPIRED",
            Self::StateMismatch { .. } => "LICENSE_STATE_MISMATCH",
        }
    }
}

impl std::fmt::Display for LicenceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => write!(f, "the customer has no liquor licence on file"),
            Self::Expired { expired_on } => {
                write!(f, "the customer's liquor licence expired on {expired_on}")
            }
            Self::StateMismatch {
                licence_state,
                shipping_state,
            } => write!(
                f,
                "the customer's liquor licence is for {licence_state}, the order ships to {shipping_state}"
            ),
        }
    }
}

/// The state an order for `customer` ships to: its shipping address's `state` when the address
/// names one, otherwise the customer's state (the one its excise tax follows).
pub fn shipping_state(customer: &customers::Model) -> String {
    customer
        .shipping_address
        .as_ref()
        .and_then(|address| address.get("state"))
        .and_then(|state| state.as_str())
        .map(|state| state.trim().to_ascii_uppercase())
        .filter(|state| !state.is_empty())
        .unwrap_or_else(|| customer.state.trim().to_ascii_uppercase())
}

/// Why `customer` may not be sold to on `today` (the tenant's date), if it may not. A licence is
/// valid through its expiry date.
pub fn licence_problem(customer: &customers::Model, today: NaiveDate) -> Option<LicenceProblem> {
    let number = customer
        .license_number
        .as_deref()
        .map(str::trim)
        .filter(|number| !number.is_empty());
    let (Some(_), Some(licence_state), Some(expires_on)) = (
        number,
        customer.license_state.as_deref(),
        customer.license_expires_on,
    ) else {
        return Some(LicenceProblem::Missing);
    };
    if expires_on < today {
        return Some(LicenceProblem::Expired {
            expired_on: expires_on,
        });
    }
    let licence_state = licence_state.trim().to_ascii_uppercase();
    let shipping_state = shipping_state(customer);
    (licence_state != shipping_state).then_some(LicenceProblem::StateMismatch {
        licence_state,
        shipping_state,
    })
}

/// `COMPLIANCE_BLOCKED` unless `customer` may be sold to on `today`.
pub(crate) fn require_licence(
    customer: &customers::Model,
    today: NaiveDate,
) -> Result<(), OrdersError> {
    match licence_problem(customer, today) {
        Some(problem) => Err(OrdersError::ComplianceBlocked { problem }),
        None => Ok(()),
    }
}

/// What a customer owes and has on order, against its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    /// Unpaid invoice balances plus submitted, confirmed and fulfilled orders not yet invoiced.
    pub exposure: Decimal,
    /// `None`: unlimited.
    pub limit: Option<Decimal>,
}

/// Whether submitting `order_total` more would take the customer beyond its limit. Reaching the
/// limit exactly is allowed.
pub fn over_credit(credit: Credit, order_total: Decimal) -> bool {
    credit
        .limit
        .is_some_and(|limit| credit.exposure + order_total > limit)
}

#[derive(FromQueryResult)]
struct Exposure {
    exposure: Decimal,
}

/// The customer's exposure, read after taking the customer's credit lock: two submissions for
/// one customer are judged one after the other, so they cannot both fit into the last of its
/// limit. `excluding` is the order being submitted, which is not exposure yet.
async fn exposure(
    tx: &DatabaseTransaction,
    customer_id: Uuid,
    excluding: Option<Uuid>,
) -> Result<Decimal, OrdersError> {
    tx.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('leora.credit:' || $1::text, 0))",
        [customer_id.into()],
    ))
    .await?;
    let row = Exposure::find_by_statement(stmt(
        "SELECT (SELECT coalesce(sum(balance), 0) FROM invoices
                  WHERE customer_id = $1 AND status IN ('issued', 'partially_paid', 'overdue'))
              + (SELECT coalesce(sum(o.total), 0) FROM orders o
                  WHERE o.customer_id = $1
                    AND o.status IN ('submitted', 'confirmed', 'fulfilled')
                    AND o.id IS DISTINCT FROM $2
                    AND NOT EXISTS (SELECT 1 FROM invoices i
                                     WHERE i.customer_id = o.customer_id AND i.order_id = o.id
                                       AND i.status <> 'void')) AS exposure",
        [customer_id.into(), excluding.into()],
    ))
    .one(tx)
    .await?;
    Ok(row.map_or(Decimal::ZERO, |row| row.exposure))
}

#[derive(FromQueryResult)]
struct Holds {
    holds: bool,
}

/// Whether the actor holds `permission` through any of its roles.
async fn actor_holds(
    tx: &DatabaseTransaction,
    actor: Actor,
    permission: Permission,
) -> Result<bool, OrdersError> {
    let Some(user_id) = actor.user_id() else {
        return Ok(false);
    };
    let row = Holds::find_by_statement(stmt(
        "SELECT EXISTS (SELECT 1 FROM user_roles ur
                          JOIN role_permissions rp ON rp.role_id = ur.role_id
                          JOIN permissions p ON p.id = rp.permission_id
                         WHERE ur.user_id = $1 AND p.key = $2) AS holds",
        [user_id.into(), permission.key().into()],
    ))
    .one(tx)
    .await?;
    Ok(row.is_some_and(|row| row.holds))
}

/// A submission the customer's credit allows, or one an overriding user let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CreditDecision {
    Within,
    Overridden { by: Uuid, credit: Credit },
}

impl CreditDecision {
    /// The user whose override is recorded on the order.
    pub fn overridden_by(self) -> Option<Uuid> {
        match self {
            Self::Within => None,
            Self::Overridden { by, .. } => Some(by),
        }
    }

    /// The override as events record it (`creditOverride`), if there was one.
    pub fn event_json(self) -> Option<serde_json::Value> {
        match self {
            Self::Within => None,
            Self::Overridden { by, credit } => Some(serde_json::json!({
                "byUserId": by,
                "exposure": super::money_json(credit.exposure),
                "creditLimit": credit.limit.map(super::money_json),
            })),
        }
    }
}

/// `CREDIT_LIMIT_EXCEEDED` when submitting `order_total` takes the customer beyond its limit,
/// unless the actor holds `orders.override_credit` (the override is then returned, to be
/// recorded on the order and its event).
pub(crate) async fn require_credit(
    tx: &DatabaseTransaction,
    actor: Actor,
    customer: &customers::Model,
    order_total: Decimal,
    excluding: Option<Uuid>,
) -> Result<CreditDecision, OrdersError> {
    let Some(limit) = customer.credit_limit else {
        return Ok(CreditDecision::Within);
    };
    let credit = Credit {
        exposure: exposure(tx, customer.id, excluding).await?,
        limit: Some(limit),
    };
    if !over_credit(credit, order_total) {
        return Ok(CreditDecision::Within);
    }
    match actor.user_id() {
        Some(by) if actor_holds(tx, actor, Permission::OrdersOverrideCredit).await? => {
            Ok(CreditDecision::Overridden { by, credit })
        }
        _ => Err(OrdersError::CreditLimitExceeded {
            exposure: credit.exposure,
            limit,
            order_total,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use leora_catalog::entities::customers::{CustomerStatus, PaymentTerms};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn licensed(state: &str, licence_state: &str, expires_on: &str) -> customers::Model {
        customers::Model {
            id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            account_number: "C-1".into(),
            name: "Harborview".into(),
            email: None,
            phone: None,
            license_number: Some("CA-123".into()),
            license_state: Some(licence_state.into()),
            license_expires_on: Some(day(expires_on)),
            state: state.into(),
            price_tier: None,
            payment_terms: PaymentTerms::Net30,
            credit_limit: None,
            assigned_rep_id: None,
            billing_address: None,
            shipping_address: None,
            status: CustomerStatus::Active,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_licence_is_valid_through_its_expiry_date_and_not_the_day_after() {
        let customer = licensed("CA", "CA", "2026-12-04");
        assert_eq!(licence_problem(&customer, day("2026-12-04")), None);
        assert_eq!(
            licence_problem(&customer, day("2026-12-05")),
            Some(LicenceProblem::Expired {
                expired_on: day("2026-12-04")
            })
        );
    }

    #[test]
    fn a_licence_from_another_state_than_the_shipping_address_blocks() {
        let mut customer = licensed("CA", "ca", "2027-01-01");
        assert_eq!(licence_problem(&customer, day("2026-12-04")), None);
        customer.shipping_address = Some(serde_json::json!({ "state": "NV", "city": "Reno" }));
        assert_eq!(
            licence_problem(&customer, day("2026-12-04")),
            Some(LicenceProblem::StateMismatch {
                licence_state: "CA".into(),
                shipping_state: "NV".into()
            })
        );
    }

    #[test]
    fn no_licence_or_an_incomplete_one_is_missing() {
        let today = day("2026-12-04");
        let mut customer = licensed("CA", "CA", "2027-01-01");
        customer.license_number = Some("  ".into());
        assert_eq!(
            licence_problem(&customer, today),
            Some(LicenceProblem::Missing)
        );
        let mut customer = licensed("CA", "CA", "2027-01-01");
        customer.license_expires_on = None;
        assert_eq!(
            licence_problem(&customer, today),
            Some(LicenceProblem::Missing)
        );
    }

    #[test]
    fn credit_allows_reaching_the_limit_exactly_and_no_limit_is_unlimited() {
        let credit = |exposure: i64, limit: Option<i64>| Credit {
            exposure: Decimal::from(exposure),
            limit: limit.map(Decimal::from),
        };
        assert!(!over_credit(credit(900, Some(1000)), Decimal::from(100)));
        assert!(over_credit(credit(900, Some(1000)), Decimal::new(10001, 2)));
        assert!(!over_credit(credit(1_000_000, None), Decimal::from(1)));
    }
}
