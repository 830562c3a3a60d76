//! Access tokens: short-lived HS256 JWTs naming the tenant, the principal and its session family.

use std::fmt;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::IdentityError;

/// None: a token is refused from its `exp` on, the instant `expiresAt` told the client (the
/// instances that issue and verify tokens keep NTP time, so no skew needs absorbing).
const LEEWAY_SECONDS: u64 = 0;

/// Who issues access tokens and what they are for: a token signed with the same key for another
/// purpose (another service sharing a secret, a future token type) is not an access token here.
const ISSUER: &str = "leora";
const AUDIENCE: &str = "leora-api";

/// The claims as signed: [`AccessClaims`] with the issuer and audience every token carries.
#[derive(Serialize)]
struct Signed<'a> {
    #[serde(flatten)]
    claims: &'a AccessClaims,
    iss: &'static str,
    aud: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    User,
    PortalUser,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user or portal user.
    pub sub: Uuid,
    /// The tenant.
    pub tid: Uuid,
    pub kind: PrincipalKind,
    /// A portal user's customer; `None` for internal users.
    pub cid: Option<Uuid>,
    /// The session family: every token refreshed from one login shares it, so revoking the family
    /// ends them all.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// The signing key, for HS256 only: one algorithm means no algorithm-confusion attacks.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(&self, claims: &AccessClaims) -> Result<String, IdentityError> {
        let signed = Signed {
            claims,
            iss: ISSUER,
            aud: AUDIENCE,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &signed, &self.encoding).map_err(
            |error| IdentityError::Crypto(format!("signing an access token failed: {error}")),
        )
    }

    /// Checks the signature, that the algorithm is HS256 (so `alg: none` and every other algorithm
    /// are refused), the expiry, and that every claim is present and well-formed. Only expiry is
    /// told apart (the signature is checked before it, so a forged token is never "expired"):
    /// it is what tells a client to refresh rather than sign in.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, IdentityError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => IdentityError::TokenExpired,
                _ => IdentityError::InvalidToken,
            })
    }
}

impl fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtKeys").finish_non_exhaustive()
    }
}
