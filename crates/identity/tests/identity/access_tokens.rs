//! Access tokens that were forged, expired or tampered with are refused.

use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use leora_identity::{AccessClaims, IdentityError, JwtKeys, PrincipalKind};
use serde_json::json;
use uuid::Uuid;

fn b64_json(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn tokens_with_alg_none_a_wrong_key_or_tampered_claims_are_refused_as_invalid() {
    let keys = JwtKeys::new(SECRET);
    let now = Utc::now().timestamp();
    let claims = AccessClaims {
        sub: Uuid::now_v7(),
        tid: Uuid::now_v7(),
        kind: PrincipalKind::User,
        cid: None,
        sid: Uuid::now_v7(),
        iat: now,
        exp: now + 900,
    };
    let genuine = keys.issue(&claims).unwrap();
    assert_eq!(keys.verify(&genuine).unwrap(), claims);
    let mut claims_json = serde_json::to_value(&claims).unwrap();
    claims_json["iss"] = json!("leora");
    claims_json["aud"] = json!("leora-api");
    let sign = |alg: jsonwebtoken::Algorithm, payload: &serde_json::Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(alg),
            payload,
            &jsonwebtoken::EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    };
    assert_eq!(
        keys.verify(&sign(jsonwebtoken::Algorithm::HS256, &claims_json))
            .unwrap(),
        claims,
        "the claims as the server signs them"
    );
    let (_, genuine_rest) = genuine.split_once('.').unwrap();
    let (_, genuine_signature) = genuine_rest.split_once('.').unwrap();

    let mut tampered_claims = claims_json.clone();
    tampered_claims["tid"] = json!(Uuid::now_v7());
    let mut without_sid = claims_json.clone();
    without_sid.as_object_mut().unwrap().remove("sid");
    let mut without_exp = claims_json.clone();
    without_exp.as_object_mut().unwrap().remove("exp");
    let mut another_audience = claims_json.clone();
    another_audience["aud"] = json!("billing-service");
    let mut another_issuer = claims_json.clone();
    another_issuer["iss"] = json!("someone-else");
    let mut without_audience = claims_json.clone();
    without_audience.as_object_mut().unwrap().remove("aud");
    let mut portal_kind_garbage = claims_json.clone();
    portal_kind_garbage["kind"] = json!("superuser");

    let forged = [
        (
            "alg none",
            format!(
                "{}.{}.",
                b64_json(&json!({"alg": "none", "typ": "JWT"})),
                b64_json(&claims_json)
            ),
        ),
        (
            "alg none, genuine signature",
            format!(
                "{}.{}.{genuine_signature}",
                b64_json(&json!({"alg": "none", "typ": "JWT"})),
                b64_json(&claims_json)
            ),
        ),
        (
            "wrong key",
            JwtKeys::new(b"another secret entirely")
                .issue(&claims)
                .unwrap(),
        ),
        (
            "expired and signed with another key",
            JwtKeys::new(b"another secret entirely")
                .issue(&AccessClaims {
                    exp: now - 1800,
                    ..claims.clone()
                })
                .unwrap(),
        ),
        (
            "tampered claims",
            format!(
                "{}.{}.{genuine_signature}",
                b64_json(&json!({"alg": "HS256", "typ": "JWT"})),
                b64_json(&tampered_claims)
            ),
        ),
        (
            "another algorithm",
            sign(jsonwebtoken::Algorithm::HS512, &claims_json),
        ),
        (
            "another audience",
            sign(jsonwebtoken::Algorithm::HS256, &another_audience),
        ),
        (
            "another issuer",
            sign(jsonwebtoken::Algorithm::HS256, &another_issuer),
        ),
        (
            "no audience",
            sign(jsonwebtoken::Algorithm::HS256, &without_audience),
        ),
        (
            "missing sid",
            sign(jsonwebtoken::Algorithm::HS256, &without_sid),
        ),
        (
            "missing exp",
            sign(jsonwebtoken::Algorithm::HS256, &without_exp),
        ),
        (
            "unknown kind",
            sign(jsonwebtoken::Algorithm::HS256, &portal_kind_garbage),
        ),
        ("truncated", genuine[..genuine.len() - 3].to_owned()),
        ("garbage", "not.a.jwt".to_owned()),
        ("empty", String::new()),
    ];
    for (what, token) in forged {
        let result = keys.verify(&token);
        assert!(
            matches!(result, Err(IdentityError::InvalidToken)),
            "{what}: {result:?}"
        );
    }
}

#[tokio::test]
async fn an_expired_token_is_told_apart_and_refused_from_its_expiry_on() {
    let keys = JwtKeys::new(SECRET);
    let now = Utc::now().timestamp();
    let claims = AccessClaims {
        sub: Uuid::now_v7(),
        tid: Uuid::now_v7(),
        kind: PrincipalKind::User,
        cid: None,
        sid: Uuid::now_v7(),
        iat: now - 3600,
        exp: now - 1800,
    };
    for exp in [now - 1800, now - 1] {
        let token = keys
            .issue(&AccessClaims {
                exp,
                ..claims.clone()
            })
            .unwrap();
        let result = keys.verify(&token);
        assert!(
            matches!(result, Err(IdentityError::TokenExpired)),
            "expired {} s ago: {result:?}",
            now - exp
        );
    }
}
