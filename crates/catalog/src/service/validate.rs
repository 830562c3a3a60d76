//! Input checks shared by the catalog's writes. Each names the field it rejects, in the API's
//! camelCase, so a form can point at it.

use leora_compliance::service::states::parse_state_code;
use leora_tenancy::validate;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::error::CatalogError;

/// Names, codes and account numbers: long enough for any real one, short enough to keep out junk.
const MAX_NAME_CHARS: usize = 200;

/// Trimmed, non-empty text of at most [`MAX_NAME_CHARS`] characters.
pub(crate) fn required_text(field: &'static str, raw: &str) -> Result<String, CatalogError> {
    Ok(validate::required_text(field, raw, MAX_NAME_CHARS)?)
}

/// Optional free text, trimmed; blank counts as absent.
pub(crate) fn optional_text(raw: Option<String>) -> Option<String> {
    raw.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// A non-negative amount of money in cents that fits a `numeric(precision, 2)` column.
pub(crate) fn money(
    field: &'static str,
    amount: Decimal,
    precision: u32,
) -> Result<Decimal, CatalogError> {
    Ok(validate::money(
        field,
        amount,
        Decimal::from(10_i64.pow(precision - 2)),
    )?)
}

pub(crate) fn state(field: &'static str, raw: &str) -> Result<String, CatalogError> {
    parse_state_code(raw)
        .ok_or_else(|| CatalogError::bad_input(field, "must be a two-letter state code such as CA"))
}

/// Tier names are identifiers (`wholesale`, `on_premise`), compared exactly, so they are stored
/// lower-case.
pub(crate) fn price_tier(raw: &str) -> Result<String, CatalogError> {
    let tier = raw.trim().to_ascii_lowercase();
    let mut chars = tier.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && tier.len() <= MAX_NAME_CHARS;
    if !valid {
        return Err(CatalogError::bad_input(
            "priceTier",
            "must be a letter followed by letters, digits or underscores, such as wholesale",
        ));
    }
    Ok(tier)
}

/// Trimmed and lower-cased, when it can be an email address at all.
pub(crate) fn email(field: &'static str, raw: &str) -> Result<String, CatalogError> {
    validate::plausible_email(raw).ok_or_else(|| {
        CatalogError::bad_input(field, "must be an email address such as buyer@example.com")
    })
}

pub(crate) fn optional_email(
    field: &'static str,
    raw: Option<String>,
) -> Result<Option<String>, CatalogError> {
    optional_text(raw).map(|raw| email(field, &raw)).transpose()
}

/// Addresses and metadata are free-form, but always a JSON object, so readers can index them.
pub(crate) fn json_object(field: &'static str, value: Value) -> Result<Value, CatalogError> {
    if !value.is_object() {
        return Err(CatalogError::bad_input(field, "must be a JSON object"));
    }
    Ok(value)
}

pub(crate) fn positive(field: &'static str, value: i32) -> Result<i32, CatalogError> {
    if value < 1 {
        return Err(CatalogError::bad_input(field, "must be at least 1"));
    }
    Ok(value)
}

pub(crate) fn non_negative(field: &'static str, value: i32) -> Result<i32, CatalogError> {
    if value < 0 {
        return Err(CatalogError::bad_input(field, "must be 0 or more"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::ApiError;

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn field_of<T: std::fmt::Debug>(outcome: Result<T, CatalogError>) -> Option<String> {
        outcome.unwrap_err().field().map(str::to_owned)
    }

    #[test]
    fn money_is_non_negative_whole_cents_within_the_column() {
        assert_eq!(money("basePrice", d("19.99"), 12).unwrap(), d("19.99"));
        assert_eq!(money("basePrice", d("0"), 12).unwrap(), d("0"));
        // Trailing zeros are not extra precision.
        assert_eq!(money("basePrice", d("5.5000"), 12).unwrap(), d("5.5"));
        assert_eq!(
            money("basePrice", d("9999999999.99"), 12).unwrap(),
            d("9999999999.99")
        );
        for bad in ["-0.01", "1.999", "10000000000"] {
            assert_eq!(
                field_of(money("basePrice", d(bad), 12)).as_deref(),
                Some("basePrice"),
                "{bad}"
            );
        }
    }

    #[test]
    fn required_text_is_trimmed_and_not_blank() {
        assert_eq!(required_text("name", "  Cabernet ").unwrap(), "Cabernet");
        assert_eq!(
            field_of(required_text("name", "   ")).as_deref(),
            Some("name")
        );
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            field_of(required_text("name", &long)).as_deref(),
            Some("name")
        );
    }

    #[test]
    fn blank_optional_text_is_absent() {
        assert_eq!(optional_text(Some("  ".to_owned())), None);
        assert_eq!(
            optional_text(Some(" Napa ".to_owned())).as_deref(),
            Some("Napa")
        );
        assert_eq!(optional_text(None), None);
    }

    #[test]
    fn price_tiers_are_lower_case_identifiers() {
        assert_eq!(price_tier(" Wholesale ").unwrap(), "wholesale");
        assert_eq!(price_tier("on_premise_2").unwrap(), "on_premise_2");
        for bad in ["", "2for1", "on premise", "café", "_x"] {
            assert_eq!(
                field_of(price_tier(bad)).as_deref(),
                Some("priceTier"),
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_are_lower_cased_and_plausible() {
        assert_eq!(
            email("email", " Buyer@Example.COM ").unwrap(),
            "buyer@example.com"
        );
        for bad in [
            "buyer",
            "buyer@",
            "@example.com",
            "a@b",
            "a b@example.com",
            "a@@b.com",
        ] {
            assert_eq!(
                field_of(email("email", bad)).as_deref(),
                Some("email"),
                "{bad}"
            );
        }
        assert_eq!(optional_email("email", Some(" ".to_owned())).unwrap(), None);
    }
}
