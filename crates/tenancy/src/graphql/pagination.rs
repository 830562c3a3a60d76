//! Relay cursor connections over SeaORM queries. Cursors are opaque offsets into the query's
//! order (which always ends with the id, so it is total): any sort order pages the same way.

use super::error::{ApiResult, ResolverError};
use crate::rows::{self, ByPosition};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect, Select,
};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;
const CURSOR_PREFIX: &str = "offset:";

/// `first` / `after`, validated.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    first: u64,
    offset: u64,
    count_total: bool,
}

impl PageRequest {
    pub fn new(first: Option<i32>, after: Option<&str>) -> ApiResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) => u64::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| {
                    ResolverError::bad_input(
                        "first",
                        format!("must be between 0 and {MAX_PAGE_SIZE}"),
                    )
                })?,
        };
        let offset = match after {
            None => 0,
            Some(cursor) => decode_cursor(cursor)
                .map(|position| position + 1)
                .ok_or_else(|| {
                    ResolverError::bad_input("after", "is not a cursor from this API")
                })?,
        };
        Ok(Self {
            first,
            offset,
            count_total: true,
        })
    }
}

impl PageRequest {
    /// Skips the count statement when the query does not select `totalCount`.
    pub fn counting_if_selected(mut self, ctx: &async_graphql::Context<'_>) -> Self {
        self.count_total = ctx.look_ahead().field("totalCount").exists();
        self
    }
}

fn encode_cursor(position: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{position}"))
}

fn decode_cursor(cursor: &str) -> Option<u64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)?
        .parse()
        .ok()
}

/// Sort direction for every list's `orderBy`.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl From<SortDirection> for sea_orm::Order {
    fn from(direction: SortDirection) -> Self {
        match direction {
            SortDirection::Asc => sea_orm::Order::Asc,
            SortDirection::Desc => sea_orm::Order::Desc,
        }
    }
}

#[derive(SimpleObject)]
pub struct ConnectionTotal {
    /// How many items match the filter, across all pages.
    pub total_count: u64,
}

pub type Page<N> = Connection<String, N, ConnectionTotal>;

/// One page of `select` (already filtered and sorted; `id` breaks ties) as a connection of
/// `node(row)`. Two statements, whatever the page size: the count (only when selected) and the
/// page.
pub async fn paginate<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    page: PageRequest,
    node: impl Fn(E::Model) -> N,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
{
    page_of(db, select, id, page, node, |select| select.all(db)).await
}

/// As [`paginate`], reading the page's rows by position ([`crate::rows`]): for the lists on hot
/// paths.
pub async fn paginate_by_position<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    page: PageRequest,
    node: impl Fn(E::Model) -> N,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync + ByPosition,
    N: OutputType,
{
    page_of(db, select, id, page, node, |select| rows::all(db, select)).await
}

async fn page_of<E, N, Rows>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    page: PageRequest,
    node: impl Fn(E::Model) -> N,
    read: impl FnOnce(Select<E>) -> Rows,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
    Rows: Future<Output = Result<Vec<E::Model>, DbErr>>,
{
    let total_count = if page.count_total {
        select.clone().count(db).await?
    } else {
        0
    };
    let mut rows = read(
        select
            .order_by_asc(id)
            .offset(page.offset)
            .limit(page.first + 1),
    )
    .await?;
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    let mut connection = Connection::with_additional_fields(
        page.offset > 0,
        has_next,
        ConnectionTotal { total_count },
    );
    connection.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| Edge::new(encode_cursor(page.offset + i as u64), node(row))),
    );
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(decode_cursor(&encode_cursor(41)), Some(41));
        assert_eq!(
            PageRequest::new(Some(5), Some(&encode_cursor(9)))
                .unwrap()
                .offset,
            10
        );
        assert!(PageRequest::new(None, Some("not-a-cursor")).is_err());
        assert!(PageRequest::new(Some(101), None).is_err());
        assert!(PageRequest::new(Some(-1), None).is_err());
    }
}
