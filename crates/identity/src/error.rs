//! The identity crate's errors and their API codes.
//!
//! Authentication failures all report `UNAUTHENTICATED`, and their messages never tell a caller
//! whether an email exists (apart from a lock, which the caller has just provoked).

use chrono::{DateTime, Utc};
use leora_tenancy::{ApiError, AuthFailure, ErrorCode, Refusal, TenancyError};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("invalid email or password")]
    InvalidCredentials,
    /// Answered exactly as a wrong password, so that a lock tells no one the account exists.
    #[error("invalid email or password")]
    AccountLocked { until: DateTime<Utc> },
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("the access token is invalid: sign in")]
    InvalidToken,
    #[error("the access token has expired: refresh the session")]
    TokenExpired,
    #[error("the session has ended; log in again")]
    SessionRevoked,
    /// The tenant is suspended or cancelled: none of its sessions may be used or refreshed.
    #[error("the distributor's access is suspended")]
    TenantInactive,
    #[error("the refresh token was already used; every session of this login has been ended")]
    RefreshTokenReused,
    /// A password-reset token that is malformed, unknown, used, expired, or whose account or
    /// tenant can no longer use it: one answer for all, so that it tells nothing of which.
    #[error("the reset token is invalid or has expired: ask for a new one")]
    ResetTokenInvalid,
    #[error("too many sign-in attempts from this address; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{reason}")]
    Forbidden { reason: String },
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("cryptography error: {0}")]
    Crypto(String),
}

impl IdentityError {
    /// True when the service wrote something that must be committed even though it returns an
    /// error: a failed-login count or lock, or the revocation of a session family whose refresh
    /// token was replayed. Rolling those back would hand an attacker unlimited guesses or a live
    /// stolen session.
    pub fn commit_anyway(&self) -> bool {
        matches!(
            self,
            Self::InvalidCredentials | Self::AccountLocked { .. } | Self::RefreshTokenReused
        )
    }

    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::bad_input(field, message).into()
    }
}

impl ApiError for IdentityError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidCredentials
            | Self::AccountLocked { .. }
            | Self::AccountDisabled
            | Self::InvalidToken
            | Self::TokenExpired
            | Self::SessionRevoked
            | Self::TenantInactive
            | Self::RefreshTokenReused => ErrorCode::Unauthenticated,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::ResetTokenInvalid => ErrorCode::BadUserInput,
            Self::Refused(refusal) => refusal.code(),
            Self::Forbidden { .. } => ErrorCode::Forbidden,
            Self::Tenancy(error) => error.code(),
            Self::Database(_) | Self::Crypto(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::ResetTokenInvalid => Some("token"),
            Self::Refused(refusal) => refusal.field(),
            Self::Tenancy(error) => error.field(),
            _ => None,
        }
    }

    fn auth_failure(&self) -> Option<AuthFailure> {
        match self {
            Self::InvalidToken => Some(AuthFailure::TokenInvalid),
            Self::TokenExpired => Some(AuthFailure::TokenExpired),
            Self::SessionRevoked
            | Self::AccountDisabled
            | Self::RefreshTokenReused
            | Self::TenantInactive => Some(AuthFailure::SessionEnded),
            _ => None,
        }
    }
}
