//! Input checks the crates' writes share. Each refuses with `BadInput` on the field it names, in
//! the API's camelCase, so a form can point at it.

use sea_orm::prelude::Decimal;

use crate::Refusal;

/// The longest address accepted.
const MAX_EMAIL_CHARS: usize = 254;

/// Trimmed, non-empty text of at most `max_chars` characters.
pub fn required_text(field: &'static str, raw: &str, max_chars: usize) -> Result<String, Refusal> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Refusal::bad_input(field, "must not be blank"));
    }
    at_most(field, text, max_chars)?;
    Ok(text.to_owned())
}

/// Optional free text, trimmed, blank counting as absent; at most `max_chars` characters.
pub fn optional_text(
    field: &'static str,
    raw: Option<String>,
    max_chars: usize,
) -> Result<Option<String>, Refusal> {
    let Some(text) = raw.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    at_most(field, &text, max_chars)?;
    Ok(Some(text))
}

fn at_most(field: &'static str, text: &str, max_chars: usize) -> Result<(), Refusal> {
    if text.chars().count() > max_chars {
        return Err(Refusal::bad_input(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(())
}

/// A non-negative amount in whole cents, below `limit` (its column's capacity).
pub fn money(field: &'static str, amount: Decimal, limit: Decimal) -> Result<Decimal, Refusal> {
    money_fault(amount, limit).map_or(Ok(amount), |fault| Err(Refusal::bad_input(field, fault)))
}

/// What keeps `amount` from being a [`money`] amount below `limit`, if anything does.
pub fn money_fault(amount: Decimal, limit: Decimal) -> Option<String> {
    if amount < Decimal::ZERO {
        Some("must not be negative".to_owned())
    } else if amount.normalize().scale() > 2 {
        Some("may have at most 2 decimal places".to_owned())
    } else if amount >= limit {
        Some(format!("must be less than {limit}"))
    } else {
        None
    }
}

/// `raw` trimmed and lower-cased, when it has one `@` between a non-empty local part and a dotted
/// domain; deliverability is for the mail server to judge, this only catches what cannot be an
/// address.
pub fn plausible_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let plausible = email.len() <= MAX_EMAIL_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|label| !label.is_empty())
        });
    plausible.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_optional_text_is_none() {
        assert_eq!(optional_text("d", Some("  ".into()), 5).unwrap(), None);
        assert_eq!(
            optional_text("d", Some(" hi ".into()), 5).unwrap(),
            Some("hi".into())
        );
        assert!(optional_text("d", Some("toolong".into()), 5).is_err());
    }
}
