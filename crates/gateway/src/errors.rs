//! Errors the gateway raises itself, outside any resolver (cost, savepoints, transactions): a
//! message and an `extensions.code` from the API's vocabulary, as every resolver error carries.

use async_graphql::{ErrorExtensionValues, ServerError};
use leora_tenancy::ErrorCode;

/// An error with `extensions.code` set to `code`.
pub fn coded(code: ErrorCode, message: impl Into<String>) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    error.extensions = Some(extensions);
    error
}

/// The `extensions.code` of `error`, if it has one.
pub fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => Some(code),
        async_graphql::Value::Enum(code) => Some(code.as_str()),
        _ => None,
    }
}
