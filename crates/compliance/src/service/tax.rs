//! Excise tax on order lines: Leora's money rounding policy, unit conversions, the tax of one line,
//! and the rates in force on a date.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entities::enums::ProductCategory;
use crate::entities::state_tax_rates::{self, TaxRateKind};
use crate::error::ComplianceError;

/// Millilitres in one US liquid gallon (exactly 231 cubic inches).
pub const ML_PER_US_GALLON: Decimal = Decimal::from_parts(3_785_411_784, 0, 0, false, 6);

/// Litres in one US liquid gallon.
pub const LITRES_PER_US_GALLON: Decimal = Decimal::from_parts(3_785_411_784, 0, 0, false, 9);

/// Rounds an amount of money to cents, half away from zero (2.345 → 2.35, −2.345 → −2.35).
///
/// This is the policy for every amount of money Leora stores or shows. Half-up is what invoices,
/// state excise returns and customers' own arithmetic use; banker's rounding (half-even) would be
/// statistically fairer over many sums but makes single lines disagree with a calculator. Round
/// each computed amount once, when it becomes money (a line's tax, a line total), and add the
/// rounded amounts, so a document's total always equals the sum of its printed lines.
pub fn round_money(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// US gallons in a volume given in millilitres, unrounded.
pub fn ml_to_us_gallons(ml: Decimal) -> Decimal {
    ml / ML_PER_US_GALLON
}

/// The excise tax of one order line, rounded with [`round_money`].
///
/// `Percent` taxes the line's price: `line_total × rate / 100`. `PerGallon` taxes its volume:
/// the gallons in `quantity` bottles of `size_ml` each, times `rate`.
pub fn line_tax(
    kind: TaxRateKind,
    rate: Decimal,
    line_total: Decimal,
    size_ml: i32,
    quantity: i32,
) -> Decimal {
    let tax = match kind {
        TaxRateKind::Percent => line_total * rate / Decimal::ONE_HUNDRED,
        TaxRateKind::PerGallon => {
            ml_to_us_gallons(Decimal::from(size_ml) * Decimal::from(quantity)) * rate
        }
    };
    round_money(tax)
}

/// The rate in force on `on` for each of `categories` in `state`, keyed by category. A category
/// with no rate in force is absent (it is untaxed). Windows include their start and exclude their
/// end; the database guarantees at most one rate per state, category and day.
pub async fn rates_on(
    tx: &DatabaseTransaction,
    state: &str,
    categories: &[ProductCategory],
    on: NaiveDate,
) -> Result<HashMap<ProductCategory, state_tax_rates::Model>, ComplianceError> {
    if categories.is_empty() {
        return Ok(HashMap::new());
    }
    let rates = state_tax_rates::Entity::find()
        .filter(state_tax_rates::Column::State.eq(state))
        .filter(state_tax_rates::Column::ProductCategory.is_in(categories.iter().copied()))
        .filter(in_force_on(on))
        .all(tx)
        .await?;
    Ok(rates
        .into_iter()
        .map(|rate| (rate.product_category, rate))
        .collect())
}

/// The rates in force on `on`: a window includes its start and excludes its end.
pub fn in_force_on(on: NaiveDate) -> Condition {
    Condition::all()
        .add(state_tax_rates::Column::EffectiveFrom.lte(on))
        .add(
            Condition::any()
                .add(state_tax_rates::Column::EffectiveUntil.is_null())
                .add(state_tax_rates::Column::EffectiveUntil.gt(on)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    #[test]
    fn money_rounds_half_away_from_zero_to_cents() {
        for (amount, rounded) in [
            ("0.005", "0.01"),
            ("0.004999", "0.00"),
            ("2.345", "2.35"),
            ("2.344", "2.34"),
            ("-0.005", "-0.01"),
            ("-2.345", "-2.35"),
            ("10", "10"),
            ("1.2", "1.2"),
        ] {
            assert_eq!(round_money(d(amount)), d(rounded), "round_money({amount})");
        }
    }

    #[test]
    fn a_gallon_is_3785_411784_ml() {
        assert_eq!(ML_PER_US_GALLON, d("3785.411784"));
        assert_eq!(LITRES_PER_US_GALLON, d("3.785411784"));
        assert_eq!(ml_to_us_gallons(d("3785.411784")), Decimal::ONE);
    }

    #[test]
    fn per_gallon_tax_of_a_case_of_750s_at_one_dollar_is_2_38() {
        // 12 × 750 ml = 9 l = 2.377548… gal.
        let tax = line_tax(TaxRateKind::PerGallon, d("1.00"), d("240.00"), 750, 12);
        assert_eq!(tax, d("2.38"));
    }

    #[test]
    fn per_gallon_tax_ignores_the_price() {
        let cheap = line_tax(TaxRateKind::PerGallon, d("0.20"), d("1.00"), 750, 12);
        let dear = line_tax(TaxRateKind::PerGallon, d("0.20"), d("9000.00"), 750, 12);
        // 2.377548… gal × 0.20 = 0.4755…
        assert_eq!(cheap, d("0.48"));
        assert_eq!(dear, cheap);
    }

    #[test]
    fn per_gallon_tax_is_proportional_to_volume() {
        // 3785 ml is 0.99989… gal.
        let tax = line_tax(TaxRateKind::PerGallon, d("3.30"), Decimal::ZERO, 3785, 1);
        assert_eq!(tax, d("3.30"));
        let tax = line_tax(TaxRateKind::PerGallon, d("1.00"), Decimal::ZERO, 1000, 1);
        // 0.264172… gal
        assert_eq!(tax, d("0.26"));
    }

    #[test]
    fn percent_tax_is_the_share_of_the_line_total() {
        let tax = line_tax(TaxRateKind::Percent, d("7.5"), d("10.05"), 750, 1);
        // 0.75375
        assert_eq!(tax, d("0.75"));
        let tax = line_tax(TaxRateKind::Percent, d("12.5"), d("200.00"), 750, 24);
        assert_eq!(tax, d("25.00"));
    }

    #[test]
    fn percent_tax_of_exactly_half_a_cent_rounds_up() {
        let tax = line_tax(TaxRateKind::Percent, d("5"), d("0.10"), 750, 1);
        assert_eq!(tax, d("0.01"));
    }

    #[test]
    fn a_zero_rate_taxes_nothing() {
        assert_eq!(
            line_tax(TaxRateKind::Percent, Decimal::ZERO, d("99.99"), 750, 3),
            Decimal::ZERO
        );
        assert_eq!(
            line_tax(TaxRateKind::PerGallon, Decimal::ZERO, d("99.99"), 750, 3),
            Decimal::ZERO
        );
    }
}
