//! Secrets at rest: AES-256-GCM under keys from the environment.
//!
//! `LEORA_ENCRYPTION_KEYS="k2:<base64 32 bytes>,k1:<base64 32 bytes>"`: the first key encrypts,
//! every listed key decrypts, and each ciphertext is stored beside the id of the key that sealed
//! it — so a key is rotated by putting a new one first and keeping the old one listed until no
//! row uses it. Every encryption draws a fresh random 96-bit nonce. The associated data binds a
//! ciphertext to its table, tenant and row, so one copied into another row (or another tenant's)
//! does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use std::fmt;
use uuid::Uuid;

/// The environment variable the keys are read from by [`SecretBox::from_env`].
pub const ENCRYPTION_KEYS_ENV: &str = "LEORA_ENCRYPTION_KEYS";

const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;
/// The first byte of every ciphertext, so the layout can change without guessing.
const FORMAT_V1: u8 = 1;
const MAX_KEY_ID_LEN: usize = 32;

/// The key id of [`SecretBox::development`].
pub const DEVELOPMENT_KEY_ID: &str = "insecure-dev";
const DEVELOPMENT_KEY: &[u8; KEY_BYTES] = b"leora-development-only-key-00000";

/// A ring of AES-256-GCM keys: the first seals, all open.
pub struct SecretBox {
    keys: Vec<DataKey>,
}

struct DataKey {
    id: String,
    cipher: Aes256Gcm,
}

/// What a wrong or missing key configuration is, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{var} is not set: it holds the AES-256 keys that encrypt webhook secrets and integration tokens, \
         as `id:base64key` pairs, the encrypting key first (generate one with `openssl rand -base64 32`, \
         then set {var}=k1:<that key>)"
    )]
    Missing { var: String },
    #[error(
        "{var}: entry {position} {problem} (expected `id:base64key`, ids of letters, digits, `_` or `-`)"
    )]
    Malformed {
        var: String,
        position: usize,
        problem: String,
    },
    #[error("{var}: key id {id:?} is listed twice")]
    DuplicateId { var: String, id: String },
}

/// A secret that could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "a secret is encrypted under key id {key_id:?}, which {ENCRYPTION_KEYS_ENV} does not list"
    )]
    UnknownKey { key_id: String },
    #[error(
        "a secret encrypted under key id {key_id:?} does not decrypt: {ENCRYPTION_KEYS_ENV} holds a different key under that id, or the data was altered"
    )]
    Undecryptable { key_id: String },
    #[error("the system random number generator failed: {0}")]
    Random(String),
    #[error("encryption failed")]
    Seal,
}

/// A sealed secret and the id of the key that sealed it, stored side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub ciphertext: Vec<u8>,
}

/// What a ciphertext is bound to: its purpose (table and column) and row.
#[derive(Debug, Clone, Copy)]
pub struct SecretSlot<'a> {
    pub purpose: &'a str,
    pub tenant_id: Uuid,
    pub row_id: Uuid,
}

impl SecretSlot<'_> {
    fn associated_data(&self) -> Vec<u8> {
        format!("leora/{}/{}/{}", self.purpose, self.tenant_id, self.row_id).into_bytes()
    }
}

impl SecretBox {
    /// A fixed, publicly known key (id [`DEVELOPMENT_KEY_ID`]) so a development server starts
    /// without configuration. Never for production: anyone can decrypt what it seals, and the
    /// start-up key check names its id once real keys are configured.
    pub fn development() -> Self {
        let key = Key::<Aes256Gcm>::from(*DEVELOPMENT_KEY);
        Self {
            keys: vec![DataKey {
                id: DEVELOPMENT_KEY_ID.to_owned(),
                cipher: Aes256Gcm::new(&key),
            }],
        }
    }

    /// The keys named by `LEORA_ENCRYPTION_KEYS`.
    pub fn from_env() -> Result<Self, KeyError> {
        Self::from_key_env(ENCRYPTION_KEYS_ENV)
    }

    /// The keys named by the environment variable `var`; errors name `var`.
    pub fn from_key_env(var: &str) -> Result<Self, KeyError> {
        match std::env::var(var) {
            Ok(spec) if !spec.trim().is_empty() => Self::parse_named(var, &spec),
            _ => Err(KeyError::Missing {
                var: var.to_owned(),
            }),
        }
    }

    /// Parses `id:base64key[,id:base64key…]`, the encrypting key first.
    pub fn parse(spec: &str) -> Result<Self, KeyError> {
        Self::parse_named(ENCRYPTION_KEYS_ENV, spec)
    }

    fn parse_named(var: &str, spec: &str) -> Result<Self, KeyError> {
        let malformed = |position: usize, problem: String| KeyError::Malformed {
            var: var.to_owned(),
            position,
            problem,
        };
        let mut keys: Vec<DataKey> = Vec::new();
        for (index, entry) in spec.split(',').map(str::trim).enumerate() {
            let position = index + 1;
            let Some((id, encoded)) = entry.split_once(':') else {
                return Err(malformed(position, "has no `:` between id and key".into()));
            };
            let id = id.trim();
            let valid_id = !id.is_empty()
                && id.len() <= MAX_KEY_ID_LEN
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid_id {
                return Err(malformed(
                    position,
                    format!("has an invalid key id {id:?} (1 to {MAX_KEY_ID_LEN} characters)"),
                ));
            }
            let bytes = decode_key(encoded.trim())
                .ok_or_else(|| malformed(position, format!("(id {id:?}) is not valid base64")))?;
            if bytes.len() != KEY_BYTES {
                return Err(malformed(
                    position,
                    format!(
                        "(id {id:?}) decodes to {} bytes; AES-256 needs exactly {KEY_BYTES}",
                        bytes.len()
                    ),
                ));
            }
            if keys.iter().any(|key| key.id == id) {
                return Err(KeyError::DuplicateId {
                    var: var.to_owned(),
                    id: id.to_owned(),
                });
            }
            let cipher = Aes256Gcm::new_from_slice(&bytes)
                .map_err(|_| malformed(position, format!("(id {id:?}) is not an AES-256 key")))?;
            keys.push(DataKey {
                id: id.to_owned(),
                cipher,
            });
        }
        Ok(Self { keys })
    }

    /// The id of the key new secrets are sealed with.
    pub fn active_key_id(&self) -> &str {
        // `parse_named` never returns an empty ring: splitting any string yields one entry.
        self.keys.first().map_or("", |key| key.id.as_str())
    }

    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|key| key.id.as_str())
    }

    /// Seals `plaintext` under the active key with a fresh random nonce.
    pub fn seal(&self, plaintext: &[u8], slot: SecretSlot<'_>) -> Result<Sealed, CryptoError> {
        let key = self.keys.first().ok_or(CryptoError::Seal)?;
        let mut nonce = [0_u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| CryptoError::Random(e.to_string()))?;
        let aad = slot.associated_data();
        let sealed = key
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Seal)?;
        let mut ciphertext = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        ciphertext.push(FORMAT_V1);
        ciphertext.extend_from_slice(&nonce);
        ciphertext.extend_from_slice(&sealed);
        Ok(Sealed {
            key_id: key.id.clone(),
            ciphertext,
        })
    }

    /// Opens a ciphertext sealed by [`seal`](Self::seal) for the same slot.
    pub fn open(
        &self,
        key_id: &str,
        ciphertext: &[u8],
        slot: SecretSlot<'_>,
    ) -> Result<Vec<u8>, CryptoError> {
        let key = self
            .keys
            .iter()
            .find(|key| key.id == key_id)
            .ok_or_else(|| CryptoError::UnknownKey {
                key_id: key_id.to_owned(),
            })?;
        let undecryptable = || CryptoError::Undecryptable {
            key_id: key_id.to_owned(),
        };
        let (&format, rest) = ciphertext.split_first().ok_or_else(undecryptable)?;
        if format != FORMAT_V1 || rest.len() < NONCE_BYTES {
            return Err(undecryptable());
        }
        let (nonce, sealed) = rest.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| undecryptable())?;
        let aad = slot.associated_data();
        key.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| undecryptable())
    }

    /// Opens a secret stored as text.
    pub fn open_string(
        &self,
        key_id: &str,
        ciphertext: &[u8],
        slot: SecretSlot<'_>,
    ) -> Result<String, CryptoError> {
        String::from_utf8(self.open(key_id, ciphertext, slot)?).map_err(|_| {
            CryptoError::Undecryptable {
                key_id: key_id.to_owned(),
            }
        })
    }
}

/// Keys are written by hand into environment files, so any base64 alphabet and padding is taken.
fn decode_key(encoded: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(encoded).ok())
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretBox")
            .field("key_ids", &self.key_ids().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; KEY_BYTES])
    }

    fn slot(row_id: Uuid) -> SecretSlot<'static> {
        SecretSlot {
            purpose: "test",
            tenant_id: Uuid::nil(),
            row_id,
        }
    }

    #[test]
    fn seals_with_the_first_key_and_opens_with_any() {
        let old = SecretBox::parse(&format!("k1:{}", key(1))).unwrap();
        let sealed = old.seal(b"top secret", slot(Uuid::nil())).unwrap();
        assert_eq!(sealed.key_id, "k1");

        let rotated = SecretBox::parse(&format!("k2:{},k1:{}", key(2), key(1))).unwrap();
        assert_eq!(rotated.active_key_id(), "k2");
        let opened = rotated
            .open(&sealed.key_id, &sealed.ciphertext, slot(Uuid::nil()))
            .unwrap();
        assert_eq!(opened, b"top secret");
        assert_eq!(rotated.seal(b"x", slot(Uuid::nil())).unwrap().key_id, "k2");
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce() {
        let keys = SecretBox::parse(&format!("k1:{}", key(1))).unwrap();
        let a = keys.seal(b"same", slot(Uuid::nil())).unwrap();
        let b = keys.seal(b"same", slot(Uuid::nil())).unwrap();
        assert_ne!(a.ciphertext, b.ciphertext);
        assert_ne!(
            a.ciphertext[1..1 + NONCE_BYTES],
            b.ciphertext[1..1 + NONCE_BYTES]
        );
    }

    #[test]
    fn a_ciphertext_opens_only_in_its_own_slot_under_its_own_key() {
        let keys = SecretBox::parse(&format!("k1:{}", key(1))).unwrap();
        let row = Uuid::now_v7();
        let sealed = keys.seal(b"secret", slot(row)).unwrap();
        assert!(matches!(
            keys.open("k1", &sealed.ciphertext, slot(Uuid::now_v7())),
            Err(CryptoError::Undecryptable { .. })
        ));

        let wrong = SecretBox::parse(&format!("k1:{}", key(9))).unwrap();
        let error = wrong.open("k1", &sealed.ciphertext, slot(row)).unwrap_err();
        assert!(
            error.to_string().contains("holds a different key"),
            "{error}"
        );

        let error = keys.open("k0", &sealed.ciphertext, slot(row)).unwrap_err();
        assert_eq!(
            error,
            CryptoError::UnknownKey {
                key_id: "k0".into()
            }
        );

        let mut tampered = sealed.ciphertext.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(keys.open("k1", &tampered, slot(row)).is_err());
    }

    #[test]
    fn bad_key_lists_are_refused_with_the_reason() {
        let problem = |spec: &str| SecretBox::parse(spec).unwrap_err().to_string();
        assert!(problem("").contains("entry 1 has no `:`"));
        assert!(problem(&key(1)).contains("has no `:`"));
        assert!(problem("k1:not base64!").contains("is not valid base64"));
        assert!(problem(&format!("k1:{}", STANDARD.encode([1_u8; 16]))).contains("16 bytes"));
        assert!(problem(&format!("bad id:{}", key(1))).contains("invalid key id"));
        assert!(problem(&format!("k1:{},k1:{}", key(1), key(2))).contains("listed twice"));
        assert!(problem(&format!("k1:{},k2", key(1))).contains("entry 2"));
        let unpadded = format!("k1:{}", STANDARD_NO_PAD.encode([7_u8; KEY_BYTES]));
        assert!(SecretBox::parse(&unpadded).is_ok());
    }

    #[test]
    fn a_missing_variable_says_what_to_set() {
        let error = SecretBox::from_key_env("LEORA_TEST_KEYS_THAT_ARE_NEVER_SET").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("LEORA_TEST_KEYS_THAT_ARE_NEVER_SET is not set"));
        assert!(message.contains("openssl rand -base64 32"));
    }

    #[test]
    fn the_development_key_round_trips_under_its_own_id() {
        let keys = SecretBox::development();
        let sealed = keys.seal(b"dev", slot(Uuid::nil())).unwrap();
        assert_eq!(sealed.key_id, DEVELOPMENT_KEY_ID);
        assert_eq!(
            keys.open(DEVELOPMENT_KEY_ID, &sealed.ciphertext, slot(Uuid::nil()))
                .unwrap(),
            b"dev"
        );
    }

    #[test]
    fn debug_output_shows_key_ids_only() {
        let keys = SecretBox::parse(&format!("k1:{}", key(1))).unwrap();
        let shown = format!("{keys:?}");
        assert!(shown.contains("k1") && !shown.contains(&key(1)));
    }
}
