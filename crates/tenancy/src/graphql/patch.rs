//! Updates: a nullable field of an update input is `MaybeUndefined`, so that omitted leaves the
//! stored value as it is (`None`) and `null` clears it (`Some(None)`).

use super::error::ApiResult;
use super::ids::parse_id;
use async_graphql::{ID, MaybeUndefined};
use uuid::Uuid;

/// A nullable field of an update as the services take it: `None` leaves it, `Some(None)` clears it.
pub fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    value.into()
}

/// [`patch`] for a nullable `ID`; garbage is `BAD_USER_INPUT` naming `field`.
pub fn patch_id(field: &str, value: MaybeUndefined<ID>) -> ApiResult<Option<Option<Uuid>>> {
    patch(value)
        .map(|id| id.map(|id| parse_id(field, &id)).transpose())
        .transpose()
}
