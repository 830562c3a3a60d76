//! The orders crate's errors and their API codes.
//!
//! Field names are the client's camelCase input paths (`lines[2].quantity`, `idempotencyKey`), so
//! a form can point at the offending input.

use leora_catalog::error::CatalogError;
use leora_compliance::error::ComplianceError;
use leora_tenancy::{ApiError, ErrorCode, TenancyError};
use rust_decimal::Decimal;
use sea_orm::DbErr;
use uuid::Uuid;

use crate::service::admission::LicenceProblem;

#[derive(Debug, thiserror::Error)]
pub enum OrdersError {
    #[error("{entity} not found")]
    NotFound {
        entity: &'static str,
        /// The input that named the missing row, when one did.
        field: Option<String>,
    },
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    #[error("forbidden: {reason}")]
    Forbidden { reason: &'static str },
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    /// A conflict with a record's current state rather than with any one input, so no field is
    /// named: an order that already has a live invoice, an invoice with completed payments, an
    /// empty cart.
    #[error("{message}")]
    StateConflict { message: String },
    #[error("cannot {action} {entity} that is {from}")]
    InvalidTransition {
        /// With its article: "an order", "an invoice".
        entity: &'static str,
        from: String,
        action: &'static str,
    },
    #[error(
        "insufficient inventory for sku {sku_code}: {requested} requested, {available} available"
    )]
    InsufficientInventory {
        sku_id: Uuid,
        sku_code: String,
        requested: i32,
        available: i32,
    },
    #[error("compliance blocked: {problem}; the order cannot be submitted")]
    ComplianceBlocked { problem: LicenceProblem },
    #[error(
        "the order's total of {order_total} would take the customer's exposure of {exposure} beyond its credit limit of {limit}"
    )]
    CreditLimitExceeded {
        exposure: Decimal,
        limit: Decimal,
        order_total: Decimal,
    },
    #[error(
        "forbidden: a discount of {percent} % of the line is above the {limit} % your roles may give"
    )]
    DiscountAboveLimit {
        field: String,
        percent: Decimal,
        limit: Decimal,
    },
    #[error(
        "sku {sku_code}: {requested} requested, {remaining} left of the customer's allocation of {allocated}"
    )]
    AllocationExceeded {
        field: String,
        sku_id: Uuid,
        sku_code: String,
        allocated: i32,
        remaining: i64,
        requested: i64,
    },
    /// CONFLICT, not BAD_USER_INPUT: the request is well-formed, the cart's state refuses it. The
    /// client should reload the cart; the next `add_to_cart` starts a fresh one.
    #[error("the cart expired; add items again to start a new cart")]
    CartExpired,
    #[error(transparent)]
    Catalog(CatalogError),
    #[error(transparent)]
    Compliance(#[from] ComplianceError),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl OrdersError {
    pub(crate) fn not_found(entity: &'static str) -> Self {
        Self::NotFound {
            entity,
            field: None,
        }
    }

    pub(crate) fn not_found_at(entity: &'static str, field: impl Into<String>) -> Self {
        Self::NotFound {
            entity,
            field: Some(field.into()),
        }
    }

    pub(crate) fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field,
            message: message.into(),
        }
    }

    pub(crate) fn state_conflict(message: impl Into<String>) -> Self {
        Self::StateConflict {
            message: message.into(),
        }
    }
}

/// Insufficient stock keeps its own variant (and code); every other catalog error passes through
/// with its code and field.
impl From<CatalogError> for OrdersError {
    fn from(error: CatalogError) -> Self {
        match error {
            CatalogError::InsufficientInventory {
                sku_id,
                sku_code,
                requested,
                available,
            } => Self::InsufficientInventory {
                sku_id,
                sku_code,
                requested,
                available,
            },
            error => Self::Catalog(error),
        }
    }
}

impl ApiError for OrdersError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Forbidden { .. } | Self::DiscountAboveLimit { .. } => ErrorCode::Forbidden,
            Self::ComplianceBlocked { .. } => ErrorCode::ComplianceBlocked,
            Self::CreditLimitExceeded { .. } => ErrorCode::CreditLimitExceeded,
            Self::AllocationExceeded { .. } => ErrorCode::AllocationExceeded,
            Self::Conflict { .. } | Self::StateConflict { .. } | Self::CartExpired => {
                ErrorCode::Conflict
            }
            Self::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Self::InsufficientInventory { .. } => ErrorCode::InsufficientInventory,
            Self::Catalog(error) => error.code(),
            Self::Compliance(error) => error.code(),
            Self::Tenancy(error) => error.code(),
            Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } => Some(field),
            Self::NotFound { field, .. } => field.as_deref(),
            Self::Conflict { field, .. } => Some(field),
            Self::DiscountAboveLimit { field, .. } => Some(field),
            Self::AllocationExceeded { field, .. } => Some(field),
            Self::Catalog(error) => error.field(),
            Self::Compliance(error) => error.field(),
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
            Self::ComplianceBlocked { problem } => licence_details(problem),
            Self::CreditLimitExceeded {
                exposure,
                limit,
                order_total,
            } => vec![
                ("exposure", money(*exposure)),
                ("creditLimit", money(*limit)),
                ("orderTotal", money(*order_total)),
            ],
            Self::AllocationExceeded {
                sku_id,
                sku_code,
                allocated,
                remaining,
                requested,
                ..
            } => vec![
                ("skuId", async_graphql::Value::String(sku_id.to_string())),
                ("skuCode", async_graphql::Value::String(sku_code.clone())),
                ("allocated", async_graphql::Value::from(*allocated)),
                ("remaining", async_graphql::Value::from(*remaining)),
                ("requested", async_graphql::Value::from(*requested)),
            ],
            Self::DiscountAboveLimit { percent, limit, .. } => vec![
                ("discountPercent", exact(*percent)),
                ("maxDiscountPercent", exact(*limit)),
            ],
            Self::Catalog(error) => error.details(),
            _ => Vec::new(),
        }
    }
}

/// What a client needs to explain a blocked sale: the reason, and the licence's facts.
fn licence_details(problem: &LicenceProblem) -> Vec<(&'static str, async_graphql::Value)> {
    let mut details = vec![("reason", async_graphql::Value::from(problem.reason()))];
    match problem {
        LicenceProblem::Missing => {}
        LicenceProblem::Expired { expired_on } => details.push((
            "licenseExpiresOn",
            async_graphql::Value::from(expired_on.format("%Y-%m-%d").to_string()),
        )),
        LicenceProblem::StateMismatch {
            licence_state,
            shipping_state,
        } => {
            details.push((
                "licenseState",
                async_graphql::Value::from(licence_state.as_str()),
            ));
            details.push((
                "shippingState",
                async_graphql::Value::from(shipping_state.as_str()),
            ));
        }
    }
    details
}

fn money(amount: Decimal) -> async_graphql::Value {
    use async_graphql::ScalarType;
    leora_tenancy::graphql::Money(amount).to_value()
}

fn exact(number: Decimal) -> async_graphql::Value {
    use async_graphql::ScalarType;
    leora_tenancy::graphql::Exact(number).to_value()
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::Refusal;

    #[test]
    fn catalog_errors_keep_their_code_and_field() {
        let short: OrdersError = CatalogError::InsufficientInventory {
            sku_id: Uuid::nil(),
            sku_code: "CAB-750".into(),
            requested: 3,
            available: 1,
        }
        .into();
        assert!(matches!(short, OrdersError::InsufficientInventory { .. }));
        assert_eq!(short.code(), ErrorCode::InsufficientInventory);

        let bad: OrdersError =
            CatalogError::from(Refusal::bad_input("quantity", "must be at least 1")).into();
        assert_eq!(bad.code(), ErrorCode::BadUserInput);
        assert_eq!(bad.field(), Some("quantity"));

        let missing: OrdersError =
            ComplianceError::from(Refusal::NotFound { entity: "rate" }).into();
        assert_eq!(missing.code(), ErrorCode::NotFound);
    }

    #[test]
    fn database_errors_are_internal() {
        let error: OrdersError = DbErr::Custom("SELECT secret".into()).into();
        assert_eq!(error.code(), ErrorCode::Internal);
    }

    #[test]
    fn an_expired_cart_is_a_conflict() {
        assert_eq!(OrdersError::CartExpired.code(), ErrorCode::Conflict);
    }

    #[test]
    fn transitions_read_as_sentences() {
        let error = OrdersError::InvalidTransition {
            entity: "an order",
            from: "delivered".into(),
            action: "cancel",
        };
        assert_eq!(
            error.to_string(),
            "cannot cancel an order that is delivered"
        );
        assert_eq!(error.code(), ErrorCode::InvalidTransition);
    }
}
