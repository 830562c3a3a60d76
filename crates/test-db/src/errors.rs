//! Checks on the errors the services return, by what clients see of them: the code, and the
//! input field at fault.

use std::fmt::Debug;

use leora_tenancy::{ApiError, ErrorCode};

/// Asserts that `outcome` failed with `code`, and returns the error for closer checks.
#[track_caller]
pub fn assert_code<T: Debug, E: ApiError + Debug>(outcome: Result<T, E>, code: ErrorCode) -> E {
    match outcome {
        Ok(value) => panic!("expected a {code:?} error, got Ok({value:?})"),
        Err(error) => {
            assert_eq!(error.code(), code, "{error:?}");
            error
        }
    }
}

/// Asserts that `outcome` failed with `code`, naming `field` as the input at fault (`None`: no
/// field), and returns the error for closer checks.
#[track_caller]
pub fn assert_code_and_field<T: Debug, E: ApiError>(
    outcome: Result<T, E>,
    code: ErrorCode,
    field: Option<&str>,
) -> E {
    match outcome {
        Ok(value) => panic!("expected a {code:?} error on {field:?}, got Ok({value:?})"),
        Err(error) => {
            assert_eq!((error.code(), error.field()), (code, field), "{error}");
            error
        }
    }
}
