//! Order arithmetic, pure: line totals, excise tax per line, and the document totals.
//!
//! Every amount is rounded once, when it becomes money, with compliance's `round_money` (half away
//! from zero, to cents), and the totals are sums of the rounded lines, so a document's total always
//! equals the sum of its printed lines.

use leora_compliance::entities::state_tax_rates::TaxRateKind;
use leora_compliance::service::tax::{line_tax, round_money};
use rust_decimal::Decimal;

/// The excise rate in force for a line's product category in the customer's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRate {
    pub kind: TaxRateKind,
    pub rate: Decimal,
}

/// A line as priced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    pub unit_price: Decimal,
    pub quantity: i32,
    /// An amount off the whole line (not per unit).
    pub discount: Decimal,
    pub size_ml: i32,
    /// `None` when no rate is in force: the line is untaxed.
    pub tax: Option<TaxRate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// The discount applied: the one asked for, capped at the line's gross amount so that
    /// `unit_price × quantity − discount = line_total` holds for every stored line.
    pub discount: Decimal,
    pub line_total: Decimal,
    pub tax_amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// In the order of the input lines.
    pub lines: Vec<LineAmounts>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
}

pub fn line_amounts(line: &PricedLine) -> LineAmounts {
    let gross = round_money(line.unit_price * Decimal::from(line.quantity));
    let discount = round_money(line.discount).clamp(Decimal::ZERO, gross);
    let line_total = gross - discount;
    // Per-gallon excise is owed on the volume even when the line is discounted to nothing.
    let tax_amount = line.tax.map_or(Decimal::ZERO, |tax| {
        line_tax(tax.kind, tax.rate, line_total, line.size_ml, line.quantity)
    });
    LineAmounts {
        discount,
        line_total,
        tax_amount,
    }
}

pub fn totals(lines: &[PricedLine]) -> Totals {
    let lines: Vec<LineAmounts> = lines.iter().map(line_amounts).collect();
    let subtotal: Decimal = lines.iter().map(|line| line.line_total).sum();
    let tax_total: Decimal = lines.iter().map(|line| line.tax_amount).sum();
    Totals {
        lines,
        subtotal,
        tax_total,
        total: subtotal + tax_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn line(unit_price: &str, quantity: i32, discount: &str) -> PricedLine {
        PricedLine {
            unit_price: d(unit_price),
            quantity,
            discount: d(discount),
            size_ml: 750,
            tax: None,
        }
    }

    fn taxed(mut line: PricedLine, kind: TaxRateKind, rate: &str) -> PricedLine {
        line.tax = Some(TaxRate {
            kind,
            rate: d(rate),
        });
        line
    }

    #[test]
    fn a_line_is_unit_price_times_quantity_less_its_discount() {
        let amounts = line_amounts(&line("18.50", 12, "10.00"));
        assert_eq!(amounts.line_total, d("212.00"));
        assert_eq!(amounts.discount, d("10.00"));
        assert_eq!(amounts.tax_amount, Decimal::ZERO);
    }

    #[test]
    fn a_discount_beyond_the_gross_stops_at_zero() {
        let amounts = line_amounts(&line("5.00", 2, "25.00"));
        assert_eq!(amounts.line_total, Decimal::ZERO);
        assert_eq!(amounts.discount, d("10.00"));
    }

    #[test]
    fn percent_tax_is_on_the_discounted_line() {
        // 7.5 % of 212.00 = 15.90
        let amounts = line_amounts(&taxed(
            line("18.50", 12, "10.00"),
            TaxRateKind::Percent,
            "7.5",
        ));
        assert_eq!(amounts.tax_amount, d("15.90"));
    }

    #[test]
    fn per_gallon_tax_is_on_the_volume_even_when_free() {
        // 12 × 750 ml = 2.377548… gal × 0.20 = 0.4755… → 0.48
        let full = taxed(line("20.00", 12, "0"), TaxRateKind::PerGallon, "0.20");
        let free = taxed(line("20.00", 12, "240.00"), TaxRateKind::PerGallon, "0.20");
        assert_eq!(line_amounts(&full).tax_amount, d("0.48"));
        assert_eq!(line_amounts(&free).tax_amount, d("0.48"));
        assert_eq!(line_amounts(&free).line_total, Decimal::ZERO);
    }

    #[test]
    fn totals_are_sums_of_the_rounded_lines() {
        // Each line's 5 % tax is 0.0075, rounded to 0.01: 0.03 in all, where taxing the 0.45
        // subtotal would give 0.02 and the printed lines would not add up.
        let lines = [
            taxed(line("0.15", 1, "0"), TaxRateKind::Percent, "5"),
            taxed(line("0.15", 1, "0"), TaxRateKind::Percent, "5"),
            taxed(line("0.15", 1, "0"), TaxRateKind::Percent, "5"),
        ];
        let totals = totals(&lines);
        assert_eq!(totals.subtotal, d("0.45"));
        assert_eq!(totals.tax_total, d("0.03"));
        assert_eq!(totals.total, d("0.48"));
    }

    #[test]
    fn a_mixed_order_adds_up_exactly() {
        let lines = [
            // 24 × 16.50 − 6.00 = 390.00; 390.00 × 7.25 % = 28.275 → 28.28
            taxed(line("16.50", 24, "6.00"), TaxRateKind::Percent, "7.25"),
            // 6 × 1750 ml × 3.30 $/gal = 2.773806… gal × 3.30 = 9.1535… → 9.15
            PricedLine {
                size_ml: 1750,
                ..taxed(line("42.99", 6, "0"), TaxRateKind::PerGallon, "3.30")
            },
            // untaxed: 3 × 9.99 = 29.97
            line("9.99", 3, "0"),
        ];
        let totals = totals(&lines);
        let line_totals: Vec<_> = totals.lines.iter().map(|l| l.line_total).collect();
        let taxes: Vec<_> = totals.lines.iter().map(|l| l.tax_amount).collect();
        assert_eq!(line_totals, vec![d("390.00"), d("257.94"), d("29.97")]);
        assert_eq!(taxes, vec![d("28.28"), d("9.15"), d("0")]);
        assert_eq!(totals.subtotal, d("677.91"));
        assert_eq!(totals.tax_total, d("37.43"));
        assert_eq!(totals.total, d("715.34"));
    }

    #[test]
    fn no_lines_total_nothing() {
        let totals = totals(&[]);
        assert_eq!(totals.total, Decimal::ZERO);
        assert!(totals.lines.is_empty());
    }
}
