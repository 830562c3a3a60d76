//! The one place domain errors become GraphQL errors.
//!
//! Resolvers return [`ApiResult`]. Its error type, [`ResolverError`], deliberately does not
//! implement `Display`: async-graphql turns anything that does into an error whose message is that
//! text, so a bare `?` on a database error would send SQL to the client. Here a `?` on any
//! [`ApiError`] picks its code, and on a `DbErr` becomes `INTERNAL` — logged in full inside the
//! request's span (which carries the request id), reported to the client as a bare "internal
//! error".

use crate::error::{ApiError, AuthFailure, ErrorCode};
use crate::sql::{database_cause, is_database_unavailable, is_statement_timeout};

/// When a client may try again after `DATABASE_UNAVAILABLE`: PostgreSQL restarts in seconds.
pub const RETRY_AFTER_UNAVAILABLE_SECONDS: u64 = 2;
use async_graphql::ErrorExtensions;

pub type ApiResult<T> = Result<T, ResolverError>;

#[derive(Debug, Clone)]
pub struct ResolverError {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    auth_failure: Option<AuthFailure>,
    details: Vec<(&'static str, async_graphql::Value)>,
}

impl ResolverError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            auth_failure: None,
            details: Vec::new(),
        }
    }

    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::BadUserInput,
            message: message.into(),
            field: Some(field.to_owned()),
            auth_failure: None,
            details: Vec::new(),
        }
    }

    /// No access token was sent where one is needed.
    pub fn unauthenticated() -> Self {
        Self {
            auth_failure: Some(AuthFailure::TokenMissing),
            ..Self::new(
                ErrorCode::Unauthenticated,
                "authentication required: send an access token",
            )
        }
    }

    /// An access token or session that can no longer be used, for the reason `failure` names.
    pub fn auth(failure: AuthFailure, message: impl Into<String>) -> Self {
        Self {
            auth_failure: Some(failure),
            ..Self::new(ErrorCode::Unauthenticated, message)
        }
    }

    pub fn forbidden(what: &str) -> Self {
        Self::new(ErrorCode::Forbidden, format!("forbidden: {what}"))
    }

    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal, "internal error")
    }

    /// A statement ran past the request's `statement_timeout`; the request is rolled back.
    pub fn timeout() -> Self {
        tracing::warn!("a statement ran past the request's deadline");
        Self::new(
            ErrorCode::Timeout,
            "the request ran past its deadline and was rolled back: ask for less, or retry later",
        )
    }

    /// PostgreSQL could not be reached or went away; the request is rolled back and may be sent
    /// again shortly.
    pub fn database_unavailable(error: &sea_orm::DbErr) -> Self {
        tracing::warn!(%error, "the database is unavailable");
        let mut unavailable = Self::new(
            ErrorCode::DatabaseUnavailable,
            "the database is unavailable: nothing of this request was kept; retry shortly",
        );
        unavailable
            .details
            .push(("retryAfterSeconds", RETRY_AFTER_UNAVAILABLE_SECONDS.into()));
        unavailable
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// What is wrong with the access token or session, for `UNAUTHENTICATED`.
    pub fn auth_failure(&self) -> Option<AuthFailure> {
        self.auth_failure
    }
}

impl<E: ApiError> From<E> for ResolverError {
    fn from(error: E) -> Self {
        let code = error.code();
        if code == ErrorCode::Internal {
            match database_cause(&error) {
                Some(database) if is_statement_timeout(database) => return Self::timeout(),
                Some(database) if is_database_unavailable(database) => {
                    return Self::database_unavailable(database);
                }
                _ => {}
            }
            tracing::error!(error = %error, detail = ?error, "internal error");
            return Self::internal();
        }
        Self {
            code,
            message: error.to_string(),
            field: error.field().map(str::to_owned),
            auth_failure: error.auth_failure(),
            details: error.details(),
        }
    }
}

impl From<sea_orm::DbErr> for ResolverError {
    fn from(error: sea_orm::DbErr) -> Self {
        if is_statement_timeout(&error) {
            return Self::timeout();
        }
        if is_database_unavailable(&error) {
            return Self::database_unavailable(&error);
        }
        tracing::error!(error = %error, "database error");
        Self::internal()
    }
}

impl From<ResolverError> for async_graphql::Error {
    fn from(error: ResolverError) -> Self {
        async_graphql::Error::new(error.message).extend_with(|_, extensions| {
            extensions.set("code", error.code.as_str());
            if let Some(field) = &error.field {
                extensions.set("field", field.as_str());
            }
            if let Some(failure) = error.auth_failure {
                extensions.set("reason", failure.as_str());
            }
            for (name, value) in &error.details {
                extensions.set(*name, value.clone());
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TenancyError;

    fn extensions(error: ResolverError) -> (String, async_graphql::Value) {
        let error: async_graphql::Error = error.into();
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .cloned();
        (error.message, code.unwrap_or(async_graphql::Value::Null))
    }

    #[test]
    fn database_errors_say_nothing_of_the_database() {
        let db_error = sea_orm::DbErr::Custom("relation \"users\" violates constraint".into());
        let (message, code) = extensions(db_error.into());
        assert_eq!(message, "internal error");
        assert_eq!(code, async_graphql::Value::from("INTERNAL"));
        let wrapped = TenancyError::Database(sea_orm::DbErr::Custom("SELECT secret".into()));
        assert_eq!(extensions(wrapped.into()).0, "internal error");
    }

    #[test]
    fn domain_errors_keep_their_message_and_code() {
        let (message, code) = extensions(
            TenancyError::TenantNotFound {
                slug: "nope".into(),
            }
            .into(),
        );
        assert_eq!(message, "no active tenant with slug \"nope\"");
        assert_eq!(code, async_graphql::Value::from("NOT_FOUND"));
    }

    #[test]
    fn bad_input_names_the_field() {
        let error: async_graphql::Error =
            ResolverError::bad_input("quantity", "must be positive").into();
        let field = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("field"))
            .cloned();
        assert_eq!(field, Some(async_graphql::Value::from("quantity")));
    }
}
