//! Ids as the API shows them (`ID`, a uuid's text) and reads them back.

use super::error::{ApiResult, ResolverError};
use crate::error::ErrorCode;
use async_graphql::ID;
use uuid::Uuid;

pub fn id(uuid: Uuid) -> ID {
    ID(uuid.to_string())
}

/// An `ID` argument as a uuid, or `BAD_USER_INPUT` naming `field`.
pub fn parse_id(field: &str, id: &ID) -> ApiResult<Uuid> {
    Uuid::parse_str(id).map_err(|_| ResolverError::bad_input(field, "is not a valid id"))
}

/// An optional `ID` argument as a uuid, or `BAD_USER_INPUT` naming `field`.
pub fn parse_optional_id(field: &str, id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

/// The most ids one `IN` filter may list.
pub const MAX_IDS_PER_FILTER: usize = 100;

/// A filter's list of ids (`customerIds`), any of which matches: empty when absent, at most
/// [`MAX_IDS_PER_FILTER`]; a bad one is `BAD_USER_INPUT` at its index (`filter.customerIds.3`).
pub fn parse_ids(field: &str, ids: Option<Vec<ID>>) -> ApiResult<Vec<Uuid>> {
    let ids = ids.unwrap_or_default();
    if ids.len() > MAX_IDS_PER_FILTER {
        return Err(ResolverError::bad_input(
            field,
            format!("may list at most {MAX_IDS_PER_FILTER} ids"),
        ));
    }
    ids.iter()
        .enumerate()
        .map(|(index, id)| parse_id(&format!("{field}.{index}"), id))
        .collect()
}

/// `NOT_FOUND` for a row the request cannot see (absent, or another tenant's or customer's).
pub fn not_found(entity: &str) -> ResolverError {
    ResolverError::new(ErrorCode::NotFound, format!("{entity} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_garbage_names_the_field() {
        let uuid = Uuid::now_v7();
        assert_eq!(parse_id("id", &id(uuid)).unwrap(), uuid);
        let error: async_graphql::Error = parse_id("customerId", &ID("nope".into()))
            .unwrap_err()
            .into();
        assert_eq!(
            error.extensions.and_then(|e| e.get("field").cloned()),
            Some("customerId".into())
        );
    }
}
