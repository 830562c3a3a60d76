//! Webhook signatures: HMAC-SHA256 with the subscription's secret over `"{timestamp}.{body}"`,
//! sent as `X-Leora-Signature: v1=<hex>`. Signing the timestamp with the body lets a receiver
//! refuse replays of an old delivery; the `v1=` prefix leaves room for another scheme later.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-leora-signature";
pub const TIMESTAMP_HEADER: &str = "x-leora-timestamp";
pub const EVENT_ID_HEADER: &str = "x-leora-event-id";
pub const EVENT_TYPE_HEADER: &str = "x-leora-event-type";
pub const DELIVERY_ID_HEADER: &str = "x-leora-delivery-id";
pub const ATTEMPT_HEADER: &str = "x-leora-delivery-attempt";

const SCHEME: &str = "v1=";
const SECRET_PREFIX: &str = "whsec_";
const SECRET_BYTES: usize = 32;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Leora-Signature` value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("{SCHEME}{}", hex(&digest))
}

/// Whether `header` carries a valid signature of `body` at `timestamp`. The header may list
/// several comma-separated signatures; one valid `v1` signature is enough. Compared in constant
/// time.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    header
        .split(',')
        .filter_map(|part| part.trim().strip_prefix(SCHEME))
        .filter_map(unhex)
        .any(|candidate| {
            mac(secret, timestamp, body)
                .verify_slice(&candidate)
                .is_ok()
        })
}

/// A new signing secret: `whsec_` and 32 random bytes, base64url. Receivers use the whole string,
/// prefix included, as the HMAC key.
pub fn generate_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0_u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_an_independent_hmac_sha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". Here the data is
        // "{timestamp}.{body}", so split it at its first dot.
        let signature = sign("Jefe", 0, b"what do ya want for nothing?");
        let expected_other = {
            let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
            mac.update(b"0.what do ya want for nothing?");
            hex(&mac.finalize().into_bytes())
        };
        assert_eq!(signature, format!("v1={expected_other}"));

        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// The worked example of docs/webhooks.md, checked there with openssl, Python and Node.
    #[test]
    fn the_documented_example_signs_as_documented() {
        let body = br#"{"data":{"orderId":"o-1001"},"id":"01936b2e-7c1a-7000-8000-000000000001","occurredAt":"2025-11-25T08:00:00.000000Z","tenantId":"01936b2e-0000-7000-8000-00000000000a","type":"order.placed"}"#;
        assert_eq!(
            sign(
                "whsec_MfKQ9r8GKYqrTAjpL1GhaQ2UvSbUnM3jQxNSWRiGCBs",
                1_764_057_600,
                body
            ),
            "v1=8e56b0098bef221a3b6769200ba86939c4c388810eaefed82a0a48139df3cf20"
        );
    }

    #[test]
    fn verifies_only_the_same_secret_timestamp_and_body() {
        let body = br#"{"id":"e1","type":"order.placed"}"#;
        let header = sign("whsec_abc", 1_700_000_000, body);
        assert!(verify("whsec_abc", 1_700_000_000, body, &header));
        assert!(!verify("whsec_abd", 1_700_000_000, body, &header));
        assert!(!verify("whsec_abc", 1_700_000_001, body, &header));
        assert!(!verify("whsec_abc", 1_700_000_000, b"{}", &header));
        assert!(!verify("whsec_abc", 1_700_000_000, body, "v1=zz"));
        assert!(!verify("whsec_abc", 1_700_000_000, body, ""));
        let several = format!("v1=00ff, {header}");
        assert!(verify("whsec_abc", 1_700_000_000, body, &several));
    }

    #[test]
    fn secrets_are_prefixed_random_and_distinct() {
        let a = generate_secret().unwrap();
        let b = generate_secret().unwrap();
        assert!(a.starts_with("whsec_") && a.len() == 6 + 43);
        assert_ne!(a, b);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 0xab, 0xff])),
            Some(vec![0, 1, 0xab, 0xff])
        );
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }
}
