//! Normalising and checking the free-text fields of new accounts.

use crate::error::IdentityError;

const MAX_EMAIL_LEN: usize = 254;

/// Trimmed and lower-cased, with one `@` between a non-empty local part and a dotted domain.
/// Deliverability is for the mail server to judge; this only catches what cannot be an address.
pub(super) fn normalize_email(raw: &str) -> Result<String, IdentityError> {
    let email = raw.trim().to_lowercase();
    let plausible = email.len() <= MAX_EMAIL_LEN
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|label| !label.is_empty())
        });
    if plausible {
        Ok(email)
    } else {
        Err(IdentityError::bad_input("email", "is not an email address"))
    }
}

pub(super) fn required_name(raw: &str) -> Result<String, IdentityError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(IdentityError::bad_input("fullName", "must not be blank"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::Refusal;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Ada.Lovelace@Example.COM ").unwrap(),
            "ada.lovelace@example.com"
        );
    }

    #[test]
    fn what_cannot_be_an_address_is_bad_input_on_email() {
        for raw in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "ada@@example.com",
            "ada@ex..com",
            "ada@.example.com",
            "ada lovelace@example.com",
        ] {
            let error = normalize_email(raw).unwrap_err();
            assert!(
                matches!(
                    error,
                    IdentityError::Refused(Refusal::BadInput { field: "email", .. })
                ),
                "{raw:?}: {error:?}"
            );
        }
    }
}
