//! The error vocabulary of the API.
//!
//! Policy: every crate has one `thiserror` enum and implements [`ApiError`] for it, choosing an
//! [`ErrorCode`] per variant. The gateway turns any `ApiError` into a GraphQL error in one place.
//! Variants that wrap infrastructure failures (database, crypto, I/O) report
//! [`ErrorCode::Internal`]; their text is logged, never sent to the client.

use std::fmt;

/// The `extensions.code` values clients can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    InsufficientInventory,
    InvalidTransition,
    RateLimited,
    /// The operation would cost more than one request may spend (refused before execution).
    QueryTooExpensive,
    /// The request ran past its deadline and was rolled back.
    Timeout,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::InsufficientInventory => "INSUFFICIENT_INVENTORY",
            Self::InvalidTransition => "INVALID_TRANSITION",
            Self::RateLimited => "RATE_LIMITED",
            Self::QueryTooExpensive => "QUERY_TOO_EXPENSIVE",
            Self::Timeout => "TIMEOUT",
            Self::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error the API can report: its code, and for bad input the offending field.
pub trait ApiError: std::error::Error + Send + Sync + 'static {
    fn code(&self) -> ErrorCode;

    fn field(&self) -> Option<&str> {
        None
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error("no active tenant with slug {slug:?}")]
    TenantNotFound { slug: String },
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("the pooled connection was inside another transaction")]
    InheritedTransaction,
    #[error("the transaction's task failed: {0}")]
    TransactionTask(#[from] tokio::task::JoinError),
}

impl ApiError for TenancyError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::TenantNotFound { .. } => ErrorCode::NotFound,
            Self::Database(_) | Self::InheritedTransaction | Self::TransactionTask(_) => {
                ErrorCode::Internal
            }
        }
    }
}
