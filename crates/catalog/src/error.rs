//! The catalog crate's errors and their API codes.

use leora_tenancy::{ApiError, ErrorCode, Refusal, TenancyError};
use sea_orm::DbErr;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{reason}")]
    Forbidden { reason: &'static str },
    /// A portal user named another customer than its own for a price.
    #[error("forbidden: portal users see only their own prices")]
    OtherCustomersPrice,
    #[error(
        "insufficient inventory for sku {sku_code}: {requested} requested, {available} available"
    )]
    InsufficientInventory {
        sku_id: Uuid,
        sku_code: String,
        requested: i32,
        available: i32,
    },
    /// Bad input inside a list, named by its path (`entries.412.unitPrice`).
    #[error("{field}: {message}")]
    BadInputAt { field: String, message: String },
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl CatalogError {
    pub(crate) fn not_found(entity: &'static str) -> Self {
        Refusal::NotFound { entity }.into()
    }

    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::bad_input(field, message).into()
    }

    pub(crate) fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::conflict(field, message).into()
    }

    /// The same refusal of one item of the list `list`, its field prefixed with the item's path.
    pub(crate) fn at_item(self, list: &str, index: usize) -> Self {
        match self {
            Self::Refused(Refusal::BadInput { field, message }) => Self::BadInputAt {
                field: format!("{list}.{index}.{field}"),
                message,
            },
            other => other,
        }
    }
}

impl ApiError for CatalogError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Refused(refusal) => refusal.code(),
            Self::BadInputAt { .. } => ErrorCode::BadUserInput,
            Self::Forbidden { .. } | Self::OtherCustomersPrice => ErrorCode::Forbidden,
            Self::InsufficientInventory { .. } => ErrorCode::InsufficientInventory,
            Self::Tenancy(error) => error.code(),
            Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Refused(refusal) => refusal.field(),
            Self::BadInputAt { field, .. } => Some(field),
            Self::Tenancy(error) => error.field(),
            _ => None,
        }
    }

    fn details(&self) -> Vec<(&'static str, async_graphql::Value)> {
        match self {
            Self::InsufficientInventory {
                sku_id,
                sku_code,
                requested,
                available,
            } => leora_tenancy::error::shortfall(*sku_id, sku_code, *requested, *available),
            _ => Vec::new(),
        }
    }
}
