//! The error vocabulary of the API.
//!
//! Policy: every crate has one `thiserror` enum and implements [`ApiError`] for it, choosing an
//! [`ErrorCode`] per variant. The gateway turns any `ApiError` into a GraphQL error in one place.
//! The refusals the crates report alike are one [`Refusal`], which their enums wrap.
//! Variants that wrap infrastructure failures (database, crypto, I/O) report
//! [`ErrorCode::Internal`]; their text is logged, never sent to the client.

use std::fmt;

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait,
};
use uuid::Uuid;

/// The `extensions.code` values clients can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    InsufficientInventory,
    /// The law forbids the sale: the customer's liquor licence is missing, expired or for another
    /// state than the delivery (`extensions.reason` says which).
    ComplianceBlocked,
    /// Submitting would take the customer beyond its credit limit.
    CreditLimitExceeded,
    /// Submitting would take the customer beyond its allocation of an allocated SKU.
    AllocationExceeded,
    InvalidTransition,
    RateLimited,
    /// The operation would cost more than one request may spend (refused before execution).
    QueryTooExpensive,
    /// The request ran past its deadline and was rolled back.
    Timeout,
    /// PostgreSQL could not be reached, or went away during the request: nothing of the request
    /// was kept, and it can be sent again once the database is back (`retryAfterSeconds`).
    DatabaseUnavailable,
    /// The document does not parse (refused before execution).
    GraphqlParseFailed,
    /// The document is not valid against the schema (refused before execution).
    GraphqlValidationFailed,
    /// A request named a persisted query by its hash alone; the server keeps none, so the client
    /// sends the text instead.
    PersistedQueryNotSupported,
    /// The document is not one of the deployment's trusted documents (an unknown id, or text
    /// where only trusted documents are accepted).
    DocumentNotTrusted,
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
            Self::ComplianceBlocked => "COMPLIANCE_BLOCKED",
            Self::CreditLimitExceeded => "CREDIT_LIMIT_EXCEEDED",
            Self::AllocationExceeded => "ALLOCATION_EXCEEDED",
            Self::InvalidTransition => "INVALID_TRANSITION",
            Self::RateLimited => "RATE_LIMITED",
            Self::QueryTooExpensive => "QUERY_TOO_EXPENSIVE",
            Self::Timeout => "TIMEOUT",
            Self::DatabaseUnavailable => "DATABASE_UNAVAILABLE",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::PersistedQueryNotSupported => "PERSISTED_QUERY_NOT_SUPPORTED",
            Self::DocumentNotTrusted => "DOCUMENT_NOT_TRUSTED",
            Self::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request is `UNAUTHENTICATED` when a token is at fault, so that a client can tell
/// "refresh the session" (`TOKEN_EXPIRED`) from "sign in again" without reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No access token was sent.
    TokenMissing,
    /// The token is malformed, forged, for another tenant, or otherwise unusable.
    TokenInvalid,
    /// The token was good and has expired: refresh the session.
    TokenExpired,
    /// The session the token belongs to has ended (logged out, revoked, refresh token replayed,
    /// account disabled): sign in again.
    SessionEnded,
}

impl AuthFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TokenMissing => "TOKEN_MISSING",
            Self::TokenInvalid => "TOKEN_INVALID",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::SessionEnded => "SESSION_ENDED",
        }
    }
}

/// An error the API can report: its code, for bad input the offending field, and for a token at
/// fault why it was refused.
pub trait ApiError: std::error::Error + Send + Sync + 'static {
    fn code(&self) -> ErrorCode;

    fn field(&self) -> Option<&str> {
        None
    }

    fn auth_failure(&self) -> Option<AuthFailure> {
        None
    }

    /// What a client needs to act on the error beyond its code, as `extensions` entries (the SKU
    /// and the stock available for `INSUFFICIENT_INVENTORY`, say).
    fn details(&self) -> Vec<(&'static str, async_graphql::Value)> {
        Vec::new()
    }
}

/// The `extensions` of `INSUFFICIENT_INVENTORY`: which SKU, how many were asked for, how many
/// can be had, so that a client can mark the line and offer what is there.
pub fn shortfall(
    sku_id: uuid::Uuid,
    sku_code: &str,
    requested: i32,
    available: i32,
) -> Vec<(&'static str, async_graphql::Value)> {
    vec![
        ("skuId", sku_id.to_string().into()),
        ("skuCode", sku_code.into()),
        ("requested", requested.into()),
        ("available", available.into()),
    ]
}

#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error("no active tenant with slug {slug:?}")]
    TenantNotFound { slug: String },
    /// An operator's tenant command refused its input (`crate::operator`).
    #[error(transparent)]
    Refused(#[from] Refusal),
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
            Self::Refused(refusal) => refusal.code(),
            Self::Database(_) | Self::InheritedTransaction | Self::TransactionTask(_) => {
                ErrorCode::Internal
            }
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Refused(refusal) => refusal.field(),
            _ => None,
        }
    }
}

/// The refusals every crate reports alike. Each crate's error wraps them in one transparent
/// variant, so their messages, codes and fields are decided here once.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// No row the transaction can see.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{field}: {message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    /// An input that clashes with a row the tenant already has.
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
}

impl Refusal {
    pub fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field,
            message: message.into(),
        }
    }
}

impl ApiError for Refusal {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } | Self::Conflict { field, .. } => Some(field),
            Self::NotFound { .. } => None,
        }
    }
}

/// `DbErr::RecordNotUpdated` (an update matched no row the transaction may see) as `NotFound` of
/// `entity`; any other database error as it is.
pub fn not_found_unless_updated<E: From<Refusal> + From<DbErr>>(
    entity: &'static str,
    error: DbErr,
) -> E {
    match error {
        DbErr::RecordNotUpdated => Refusal::NotFound { entity }.into(),
        error => error.into(),
    }
}

/// The row of `E` with primary key `id` that the transaction can see; any other → `NotFound` of
/// `entity`.
pub async fn find_visible<E, Err>(
    db: &impl ConnectionTrait,
    id: Uuid,
    entity: &'static str,
) -> Result<E::Model, Err>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    Err: From<Refusal> + From<DbErr>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Refusal::NotFound { entity }.into())
}

/// Saves `model`'s changes to its row; a row the transaction cannot see (or that is gone) →
/// `NotFound` of `entity`.
pub async fn update_visible<A, Err>(
    model: A,
    db: &impl ConnectionTrait,
    entity: &'static str,
) -> Result<<A::Entity as EntityTrait>::Model, Err>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    Err: From<Refusal> + From<DbErr>,
{
    model
        .update(db)
        .await
        .map_err(|error| not_found_unless_updated(entity, error))
}
