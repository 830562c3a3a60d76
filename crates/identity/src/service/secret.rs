//! The random part of the opaque tokens this crate hands out (refresh tokens, password-reset
//! tokens): 32 bytes from the system's generator, sent as unpadded base64url, stored only as the
//! lower-case hex SHA-256. A fast hash suffices: 256 bits of entropy leave nothing to brute-force,
//! and a leaked table of hashes yields no usable token.

use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::error::IdentityError;

const SECRET_BYTES: usize = 32;

pub(crate) struct Secret([u8; SECRET_BYTES]);

impl Secret {
    pub(crate) fn generate() -> Result<Self, IdentityError> {
        let mut secret = [0; SECRET_BYTES];
        getrandom::fill(&mut secret).map_err(|error| {
            IdentityError::Crypto(format!("the system random generator failed: {error}"))
        })?;
        Ok(Self(secret))
    }

    /// `None` unless `text` is exactly the encoding of 32 bytes.
    pub(crate) fn decode(text: &str) -> Option<Self> {
        URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok().map(Self)
    }

    pub(crate) fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// What a table stores: the SHA-256, in lower-case hex.
    pub(crate) fn hash(&self) -> String {
        Sha256::digest(self.0)
            .iter()
            .fold(String::with_capacity(64), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            })
    }

    /// Compares in constant time, so response timing reveals nothing about the stored hash.
    pub(crate) fn matches(&self, stored_hash: &str) -> bool {
        self.hash().as_bytes().ct_eq(stored_hash.as_bytes()).into()
    }
}

/// A UUID written as 32 hex digits, the one spelling tokens use (`Uuid::try_parse` also takes
/// hyphenated and braced forms; one spelling per token is enough).
pub(crate) fn parse_simple_uuid(text: &str) -> Option<Uuid> {
    (text.len() == 32)
        .then(|| Uuid::try_parse(text).ok())
        .flatten()
}
