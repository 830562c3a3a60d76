//! How much of a line each member of staff may give away (docs/domain-rules.md, "Licences, credit
//! and discounts"). The tenant sets the largest line discount, as a percentage of the line before
//! discount, per internal role (`tenant_settings.line_discount_limits`; by default sales rep 10,
//! sales manager 25, admin 100). A user may give the largest limit of their roles; a role the
//! settings do not name gives none. Portal users give no discounts at all (refused when the order
//! is read), and the tenant's own jobs are not limited.

use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::{DatabaseTransaction, FromQueryResult};

use super::access::Actor;
use crate::error::OrdersError;

/// A discount as a percentage of its line before discount (`unit_price × quantity`).
pub fn discount_percent(discount: Decimal, unit_price: Decimal, quantity: i32) -> Decimal {
    let gross = unit_price * Decimal::from(quantity);
    if gross.is_zero() {
        // A free line can only be discounted by nothing; any discount is past every limit.
        return if discount.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE_HUNDRED + Decimal::ONE
        };
    }
    discount * Decimal::ONE_HUNDRED / gross
}

/// One line's discount, with where the client put it (`lines[2].discount`).
pub(crate) struct LineDiscount {
    pub field: String,
    pub discount: Decimal,
    pub unit_price: Decimal,
    pub quantity: i32,
}

/// `FORBIDDEN` on the first line whose discount is above what the actor may give.
pub(crate) async fn require_within_limit(
    tx: &DatabaseTransaction,
    actor: Actor,
    lines: &[LineDiscount],
) -> Result<(), OrdersError> {
    if lines.iter().all(|line| line.discount.is_zero()) || actor == Actor::System {
        return Ok(());
    }
    let limit = limit_of(tx, actor).await?;
    for line in lines {
        let percent = discount_percent(line.discount, line.unit_price, line.quantity);
        if percent > limit {
            return Err(OrdersError::DiscountAboveLimit {
                field: line.field.clone(),
                percent: percent.round_dp(2),
                limit,
            });
        }
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Limit {
    limit: Option<Decimal>,
}

/// The largest line discount, in percent, the actor's roles allow.
async fn limit_of(tx: &DatabaseTransaction, actor: Actor) -> Result<Decimal, OrdersError> {
    let Some(user_id) = actor.user_id() else {
        return Ok(Decimal::ZERO);
    };
    let row = Limit::find_by_statement(stmt(
        "SELECT max((s.line_discount_limits ->> r.name)::numeric) AS limit
           FROM user_roles ur
           JOIN roles r ON r.id = ur.role_id
           JOIN tenant_settings s ON s.tenant_id = ur.tenant_id
          WHERE ur.user_id = $1",
        [user_id.into()],
    ))
    .one(tx)
    .await?;
    Ok(row.and_then(|row| row.limit).unwrap_or(Decimal::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discount_is_a_percentage_of_the_line_before_discount() {
        let percent = |discount: i64, unit: i64, quantity: i32| {
            discount_percent(Decimal::new(discount, 2), Decimal::new(unit, 2), quantity)
        };
        assert_eq!(percent(1000, 1000, 10), Decimal::from(10));
        assert_eq!(percent(1001, 1000, 10).round_dp(2), Decimal::new(1001, 2));
        assert_eq!(percent(0, 0, 3), Decimal::ZERO);
        assert!(
            percent(1, 0, 3) > Decimal::ONE_HUNDRED,
            "a free line allows no discount"
        );
    }
}
