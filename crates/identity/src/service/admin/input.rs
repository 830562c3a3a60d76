//! Normalising and checking the free-text fields of new accounts.

use leora_tenancy::validate::plausible_email;

use crate::error::IdentityError;

/// Trimmed and lower-cased, when it can be an email address at all.
pub(super) fn normalize_email(raw: &str) -> Result<String, IdentityError> {
    plausible_email(raw).ok_or_else(|| IdentityError::bad_input("email", "is not an email address"))
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
