//! The API's own scalars, where async-graphql's would print one value two ways or go undescribed:
//! `Money` always with its two minor-unit digits (`"0.00"`, not `"0"`), `DateTime` always in UTC
//! with six fractional digits (PostgreSQL's precision), so that clients can compare and sort the
//! text; `Date` as RFC 3339's full-date; `Decimal` as exact text, never a float. See
//! `docs/api.md`, "Formats".

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

/// The minor-unit digits of every currency Leora keeps amounts in.
pub const MINOR_UNITS: u32 = 2;

/// An amount of money in the tenant's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub Decimal);

/// An amount of money in the tenant's currency: a decimal string with exactly two digits after the
/// point (`"0.00"`, `"-12.50"`, `"348.72"`). Input is a decimal string (a JSON integer is accepted
/// too, never a float); each field refuses fractions of a cent with `BAD_USER_INPUT` naming it.
#[Scalar(name = "Money")]
impl ScalarType for Money {
    fn parse(value: Value) -> InputValueResult<Self> {
        exact(&value).map(Self)
    }

    fn to_value(&self) -> Value {
        let mut amount = self.0;
        amount.rescale(MINOR_UNITS);
        Value::String(amount.to_string())
    }
}

impl From<Decimal> for Money {
    fn from(amount: Decimal) -> Self {
        Self(amount)
    }
}

/// An instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub DateTime<Utc>);

/// An instant, as RFC 3339 text. Output is always UTC with six fractional digits
/// (`"2026-11-25T14:03:07.120000Z"`); input may carry any offset and precision.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Instant {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => DateTime::parse_from_rfc3339(text)
                .map(|instant| Self(instant.with_timezone(&Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!("{text:?} is not an RFC 3339 instant"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(instant_text(self.0))
    }
}

/// An instant as the API writes it everywhere (the `DateTime` scalar, JSON it hands out).
pub fn instant_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl From<DateTime<Utc>> for Instant {
    fn from(instant: DateTime<Utc>) -> Self {
        Self(instant)
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date as `YYYY-MM-DD` (RFC 3339's full-date, `"2026-12-04"`), with no time zone:
/// where a day depends on one (today, overdue, expired) it is the tenant's.
#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Self)
                .map_err(|_| InputValueError::custom(format!("{text:?} is not a YYYY-MM-DD date"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

/// An exact decimal number that is not money (a rate, a percentage, an average).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exact(pub Decimal);

/// An exact decimal number that is not money — a tax rate, an ABV, a percentage change — as a
/// decimal string (`"13.5"`, `"-2.25"`, `"0.0725"`) with the digits it was stored with. Input is a
/// decimal string (a JSON integer is accepted too, never a float).
#[Scalar(name = "Decimal")]
impl ScalarType for Exact {
    fn parse(value: Value) -> InputValueResult<Self> {
        exact(&value).map(Self)
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<Decimal> for Exact {
    fn from(number: Decimal) -> Self {
        Self(number)
    }
}

/// A decimal from a string or a JSON integer; a JSON fraction is refused, as it was a float.
fn exact<T: async_graphql::InputType>(value: &Value) -> Result<Decimal, InputValueError<T>> {
    match value {
        Value::String(text) => Decimal::from_str_exact(text.trim())
            .map_err(|_| InputValueError::custom(format!("{text:?} is not a decimal number"))),
        Value::Number(number) => number.as_i64().map(Decimal::from).ok_or_else(|| {
            InputValueError::custom(
                "send decimals as strings (\"12.50\"): a JSON fraction is a float",
            )
        }),
        _ => Err(InputValueError::expected_type(value.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(value: Value) -> InputValueResult<Money> {
        Money::parse(value)
    }

    #[test]
    fn money_is_written_with_its_two_minor_unit_digits() {
        for (amount, text) in [
            ("0", "0.00"),
            ("348.72", "348.72"),
            ("-12.5", "-12.50"),
            ("7", "7.00"),
        ] {
            let amount: Decimal = amount.parse().unwrap();
            assert_eq!(Money(amount).to_value(), Value::String(text.to_owned()));
        }
    }

    #[test]
    fn money_is_read_from_strings_and_integers_never_floats() {
        assert_eq!(
            money(Value::from("12.5")).unwrap(),
            Money(Decimal::new(125, 1))
        );
        assert_eq!(money(Value::from(12)).unwrap(), Money(Decimal::from(12)));
        assert!(money(Value::from(12.5)).is_err(), "a float");
        assert!(money(Value::from("twelve")).is_err());
    }

    #[test]
    fn dates_are_full_dates_and_decimals_exact_text() {
        let date = Date::parse(Value::from("2026-02-28")).unwrap();
        assert_eq!(date.to_value(), Value::from("2026-02-28"));
        assert!(Date::parse(Value::from("2026-02-30")).is_err());
        assert!(Date::parse(Value::from("28/02/2026")).is_err());
        let rate = Exact::parse(Value::from("0.0725")).unwrap();
        assert_eq!(rate.to_value(), Value::from("0.0725"));
        assert_eq!(
            Exact::parse(Value::from(3)).unwrap(),
            Exact(Decimal::from(3))
        );
        assert!(Exact::parse(Value::from(13.5)).is_err(), "a float");
    }

    #[test]
    fn instants_are_written_in_utc_with_six_fractional_digits() {
        let whole = DateTime::parse_from_rfc3339("2026-11-25T16:03:07+02:00").unwrap();
        assert_eq!(
            Instant(whole.with_timezone(&Utc)).to_value(),
            Value::String("2026-11-25T14:03:07.000000Z".to_owned())
        );
        let parsed = Instant::parse(Value::from("2026-11-25T14:03:07.12Z")).unwrap();
        assert_eq!(
            parsed.to_value(),
            Value::String("2026-11-25T14:03:07.120000Z".to_owned())
        );
    }
}
