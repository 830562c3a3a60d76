//! Refresh tokens: opaque strings `lr1.<u|p>.<tenant>.<session>.<secret>`.
//!
//! The tenant rides along so a refresh request can open the right tenant transaction before any
//! query; the session id finds the row by primary key; only the SHA-256 of the 32 random secret
//! bytes is stored (see [`super::secret`]), so a leaked sessions table yields no usable token.

use uuid::Uuid;

use super::secret::{Secret, parse_simple_uuid};
use super::tokens::PrincipalKind;
use crate::error::IdentityError;

const VERSION: &str = "lr1";

pub(crate) struct RefreshToken {
    pub(crate) kind: PrincipalKind,
    pub(crate) tenant_id: Uuid,
    pub(crate) session_id: Uuid,
    secret: Secret,
}

impl RefreshToken {
    pub(crate) fn generate(
        kind: PrincipalKind,
        tenant_id: Uuid,
        session_id: Uuid,
    ) -> Result<Self, IdentityError> {
        Ok(Self {
            kind,
            tenant_id,
            session_id,
            secret: Secret::generate()?,
        })
    }

    /// Any deviation from the format is an invalid token, reported without detail.
    pub(crate) fn parse(token: &str) -> Result<Self, IdentityError> {
        Self::try_parse(token).ok_or(IdentityError::InvalidToken)
    }

    fn try_parse(token: &str) -> Option<Self> {
        let mut parts = token.split('.');
        let (Some(VERSION), Some(kind), Some(tenant), Some(session), Some(secret), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let kind = match kind {
            "u" => PrincipalKind::User,
            "p" => PrincipalKind::PortalUser,
            _ => return None,
        };
        Some(Self {
            kind,
            tenant_id: parse_simple_uuid(tenant)?,
            session_id: parse_simple_uuid(session)?,
            secret: Secret::decode(secret)?,
        })
    }

    /// The string handed to the client.
    pub(crate) fn encode(&self) -> String {
        let kind = match self.kind {
            PrincipalKind::User => "u",
            PrincipalKind::PortalUser => "p",
        };
        format!(
            "{VERSION}.{kind}.{}.{}.{}",
            self.tenant_id.simple(),
            self.session_id.simple(),
            self.secret.encode()
        )
    }

    /// What the sessions table stores: the secret's SHA-256, in lower-case hex.
    pub(crate) fn secret_hash(&self) -> String {
        self.secret.hash()
    }

    /// Compares in constant time, so response timing reveals nothing about the stored hash.
    pub(crate) fn matches(&self, stored_hash: &str) -> bool {
        self.secret.matches(stored_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RefreshToken {
        RefreshToken::generate(PrincipalKind::PortalUser, Uuid::now_v7(), Uuid::now_v7()).unwrap()
    }

    #[test]
    fn a_token_round_trips_through_its_string() {
        let token = sample();
        let text = token.encode();
        assert!(text.starts_with("lr1.p."), "{text}");
        let parsed = RefreshToken::parse(&text).unwrap();
        assert_eq!(parsed.kind, PrincipalKind::PortalUser);
        assert_eq!(parsed.tenant_id, token.tenant_id);
        assert_eq!(parsed.session_id, token.session_id);
        assert!(parsed.matches(&token.secret_hash()));
    }

    #[test]
    fn the_stored_hash_is_hex_sha256_and_differs_per_token() {
        let (a, b) = (sample(), sample());
        assert_eq!(a.secret_hash().len(), 64);
        assert!(
            a.secret_hash()
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a.secret_hash(), b.secret_hash());
        assert!(!a.matches(&b.secret_hash()));
        assert!(!a.matches(""));
    }

    #[test]
    fn malformed_tokens_are_invalid() {
        let good = sample().encode();
        let parts: Vec<&str> = good.split('.').collect();
        let hyphenated = parts[2].parse::<Uuid>().unwrap().hyphenated().to_string();
        let malformed = [
            String::new(),
            "lr1".to_owned(),
            good.replacen("lr1", "lr2", 1),
            good.replacen(".p.", ".x.", 1),
            format!("{good}.extra"),
            good.replacen(parts[2], &hyphenated, 1),
            good.replacen(parts[4], &parts[4][..parts[4].len() - 2], 1),
            good.replacen(parts[4], "not*base64", 1),
        ];
        for token in malformed {
            assert!(
                matches!(
                    RefreshToken::parse(&token),
                    Err(IdentityError::InvalidToken)
                ),
                "{token:?}"
            );
        }
    }
}
