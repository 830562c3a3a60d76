//! Relay cursor connections over SeaORM queries, keyed on the time-ordered (uuid v7) id so pages
//! stay stable while rows are added.

use super::error::{ApiResult, ResolverError};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{OutputType, SimpleObject};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

/// `first` / `after` validated.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<Uuid>,
}

impl PageRequest {
    pub fn new(first: Option<i32>, after: Option<&str>) -> ApiResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (0..=MAX_PAGE_SIZE as i32).contains(&n) => n as u64,
            Some(_) => {
                return Err(ResolverError::bad_input(
                    "first",
                    format!("must be between 0 and {MAX_PAGE_SIZE}"),
                ));
            }
        };
        let after = after
            .map(|cursor| {
                Uuid::parse_str(cursor)
                    .map_err(|_| ResolverError::bad_input("after", "is not a cursor from this API"))
            })
            .transpose()?;
        Ok(Self { first, after })
    }
}

#[derive(SimpleObject)]
pub struct ConnectionTotal {
    /// How many items match the filter, across all pages.
    pub total_count: u64,
}

pub type IdConnection<N> = Connection<String, N, ConnectionTotal>;

/// One page of `select`, ordered by `id`, as a connection of `node(row)`.
pub async fn paginate<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    page: PageRequest,
    id_of: impl Fn(&E::Model) -> Uuid,
    node: impl Fn(E::Model) -> N,
) -> Result<IdConnection<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
{
    let total_count = select.clone().count(db).await?;
    let mut rows = match page.after {
        Some(after) => select.filter(id.gt(after)),
        None => select,
    }
    .order_by_asc(id)
    .limit(page.first + 1)
    .all(db)
    .await?;
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    let mut connection = Connection::with_additional_fields(
        page.after.is_some(),
        has_next,
        ConnectionTotal { total_count },
    );
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(id_of(&row).to_string(), node(row))),
    );
    Ok(connection)
}
