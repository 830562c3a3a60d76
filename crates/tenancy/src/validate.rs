//! Input checks the crates' writes share. Each refuses with `BadInput` on the field it names, in
//! the API's camelCase, so a form can point at it.

use sea_orm::prelude::Decimal;
use sea_orm::{ConnectionTrait, DbErr};

use crate::Refusal;
use crate::sql::stmt;

/// The longest address accepted.
const MAX_EMAIL_CHARS: usize = 254;

/// The longest slug `tenants.slug` takes (a DNS label's length, so a slug can be a subdomain).
const MAX_SLUG_CHARS: usize = 63;

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

/// A tenant's slug, trimmed: lower-case letters and digits in words joined by single hyphens, at
/// most 63 characters, as `tenants.slug`'s check says.
pub fn slug(field: &'static str, raw: &str) -> Result<String, Refusal> {
    let slug = raw.trim();
    let words_ok = slug.split('-').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    if slug.is_empty() || !words_ok || slug.chars().count() > MAX_SLUG_CHARS {
        return Err(Refusal::bad_input(
            field,
            format!(
                "{slug:?} is not a slug: lower-case letters and digits, words joined by single \
                 hyphens, at most {MAX_SLUG_CHARS} characters (e.g. well-crafted)"
            ),
        ));
    }
    Ok(slug.to_owned())
}

/// An ISO 4217 currency code's shape: three capital letters (`USD`, `EUR`). Whether the code is
/// in circulation is not checked: the list changes, and the shape is what the database keeps.
pub fn currency(field: &'static str, raw: &str) -> Result<String, Refusal> {
    let code = raw.trim();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code.to_owned())
    } else {
        Err(Refusal::bad_input(
            field,
            format!("{code:?} is not a currency code: three capital letters, e.g. USD"),
        ))
    }
}

/// The longest time-zone name accepted; the IANA database's longest is about 30.
const MAX_TIMEZONE_CHARS: usize = 64;

/// A time zone PostgreSQL knows by name (its IANA database, `pg_timezone_names`), since the
/// database reckons every tenant's calendar with `AT TIME ZONE`. POSIX offsets (`UTC+3`) and
/// abbreviations (`PST`), which `AT TIME ZONE` would also take, are refused: their days do not
/// follow a place's daylight saving.
pub async fn timezone<E: From<Refusal> + From<DbErr>>(
    db: &impl ConnectionTrait,
    field: &'static str,
    raw: &str,
) -> Result<String, E> {
    let name = raw.trim();
    let known = if name.is_empty() || name.chars().count() > MAX_TIMEZONE_CHARS {
        false
    } else {
        let row = db
            .query_one_raw(stmt(
                "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known",
                [name.into()],
            ))
            .await?;
        row.map_or(Ok(false), |row| row.try_get::<bool>("", "known"))?
    };
    if known {
        Ok(name.to_owned())
    } else {
        Err(Refusal::bad_input(
            field,
            format!(
                "{name:?} is not a time zone: an IANA name such as America/Los_Angeles or \
                 Europe/Paris"
            ),
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(slug("slug", " well-crafted ").unwrap(), "well-crafted");
        assert_eq!(slug("slug", "acme2").unwrap(), "acme2");
        let longest = "a".repeat(63);
        assert_eq!(slug("slug", &longest).unwrap(), longest);
        for bad in [
            "",
            "Acme",
            "acme_wines",
            "-acme",
            "acme-",
            "ac--me",
            "acmé",
            "a b",
            &"a".repeat(64),
        ] {
            assert!(
                matches!(
                    slug("slug", bad),
                    Err(Refusal::BadInput { field: "slug", .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn currencies_are_three_capital_letters() {
        assert_eq!(currency("currency", "EUR").unwrap(), "EUR");
        for bad in ["", "usd", "US", "USDT", "U5D", "ÉUR"] {
            assert!(currency("currency", bad).is_err(), "{bad:?}");
        }
    }

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
