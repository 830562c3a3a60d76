//! Keyset pagination, both ways, for the lists over tables that grow (orders, invoices, products,
//! customers, activities, tasks, notifications, webhook events and deliveries).
//!
//! A cursor holds the sort key values and the id of its row, so "the page after this row" is a
//! `WHERE` on those values rather than an offset: a row inserted or deleted while a client pages
//! shifts nothing, and a deep page costs what the first does (an index range scan from the cursor).
//! `first`/`after` pages forward; `last`/`before` pages backward by running the same query in the
//! reverse order and turning the rows around.
//!
//! The order is total: the sort keys, then the id in the direction of the last key (so that a list
//! sorted on one direction compares as one row value, `(created_at, id) < ($1, $2)`, which an
//! index on `(tenant_id, created_at, id)` serves). A nullable key sorts its nulls last in either
//! direction, as a leading `key IS NULL` flag.

use super::error::{ApiResult, ResolverError};
use super::pagination::{ConnectionTotal, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page};
use crate::rows::{self, ByPosition};
use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use serde_json::{Value as Json, json};
use uuid::Uuid;

const CURSOR_VERSION: &str = "k1";

/// A list's order: its sort keys, then the id.
#[derive(Debug, Clone)]
pub struct Keyset<C> {
    keys: Vec<SortKey<C>>,
    id: C,
}

#[derive(Debug, Clone)]
struct SortKey<C> {
    column: C,
    order: Order,
    nulls_last: bool,
}

impl<C: ColumnTrait> Keyset<C> {
    /// Ordered by `id` alone (uuid v7 ids follow creation), in `order`.
    pub fn by_id(id: C, order: Order) -> Self {
        Self {
            keys: vec![SortKey {
                column: id,
                order,
                nulls_last: false,
            }],
            id,
        }
    }

    /// Ordered by `column` in `order`, then by `id`.
    pub fn by(column: C, order: Order, id: C) -> Self {
        Self {
            keys: Vec::new(),
            id,
        }
        .then(column, order)
    }

    /// Then by `column` in `order`; a column that may be null (an `Option` field) sorts its
    /// nulls last, in either direction.
    pub fn then(mut self, column: C, order: Order) -> Self {
        self.keys.push(SortKey {
            column,
            order,
            nulls_last: column.def().is_null(),
        });
        self
    }

    /// The id's direction: the last key's, so a one-direction order compares as one row value.
    fn id_order(&self) -> Order {
        self.keys.last().map_or(Order::Asc, |key| key.order.clone())
    }

    /// Names the order, so a cursor of another list or another order is refused rather than
    /// compared with the wrong columns (FNV-1a of the terms' columns and directions).
    fn signature(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for key in &self.keys {
            let (table, column) = key.column.as_column_ref();
            let text = format!("{}.{}:{:?}:{};", table, column, key.order, key.nulls_last);
            for byte in text.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    /// Whether the id is already the last key (`by_id`).
    fn ends_with_id(&self) -> bool {
        self.keys
            .last()
            .is_some_and(|key| key.column.as_column_ref() == self.id.as_column_ref())
    }

    /// Every compared term, in order, with its direction (`reversed` for backward pages).
    fn terms(&self, reversed: bool) -> Vec<(SimpleExpr, Order)> {
        let flip = |order: Order| match (order, reversed) {
            (Order::Asc, true) => Order::Desc,
            (Order::Desc, true) => Order::Asc,
            (order, _) => order,
        };
        let mut terms = Vec::new();
        for key in &self.keys {
            if key.nulls_last {
                terms.push((key.column.into_expr().is_null(), flip(Order::Asc)));
            }
            terms.push((key.column.into_expr(), flip(key.order.clone())));
        }
        if !self.ends_with_id() {
            terms.push((self.id.into_expr(), flip(self.id_order())));
        }
        terms
    }

    /// A row's position in the order: the values the terms take for it.
    fn position<M: ModelTrait>(&self, row: &M) -> Vec<Value>
    where
        M::Entity: EntityTrait<Column = C>,
    {
        let mut values = Vec::new();
        for key in &self.keys {
            let value = row.get(key.column);
            if key.nulls_last {
                values.push(Value::Bool(Some(is_null(&value))));
            }
            values.push(value);
        }
        if !self.ends_with_id() {
            values.push(row.get(self.id));
        }
        values
    }
}

/// Whether a value is SQL `NULL`.
fn is_null(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(None)
            | Value::SmallInt(None)
            | Value::Int(None)
            | Value::BigInt(None)
            | Value::String(None)
            | Value::Uuid(None)
            | Value::Decimal(None)
            | Value::ChronoDate(None)
            | Value::ChronoDateTimeUtc(None)
    )
}

/// The rows after `position` in the order `terms` describe: one row-value comparison when every
/// term goes one way and nothing is null, else "equal up to term i, beyond it at i" for each i.
fn beyond(terms: &[(SimpleExpr, Order)], position: &[Value]) -> SimpleExpr {
    let one_way = terms.windows(2).all(|pair| pair[0].1 == pair[1].1);
    if one_way && !position.iter().any(is_null) {
        let row = Expr::tuple(terms.iter().map(|(expr, _)| expr.clone()));
        let at = Expr::tuple(position.iter().cloned().map(Expr::val));
        return match terms.first().map(|(_, order)| order) {
            Some(Order::Desc) => row.lt(at),
            _ => row.gt(at),
        };
    }
    let mut any: Option<SimpleExpr> = None;
    for (i, ((expr, order), value)) in terms.iter().zip(position).enumerate() {
        if is_null(value) {
            // Nothing is beyond a null at this term: the rows that share it differ further on.
            continue;
        }
        let past = match order {
            Order::Desc => expr.clone().lt(Expr::val(value.clone())),
            _ => expr.clone().gt(Expr::val(value.clone())),
        };
        let clause = terms[..i]
            .iter()
            .zip(position)
            .fold(past, |clause, ((expr, _), value)| {
                Expr::cust_with_exprs(
                    "$1 IS NOT DISTINCT FROM $2",
                    [expr.clone(), Expr::val(value.clone())],
                )
                .and(clause)
            });
        any = Some(match any {
            Some(any) => any.or(clause),
            None => clause,
        });
    }
    any.unwrap_or_else(|| Expr::val(false))
}

/// `first`/`after` or `last`/`before`, validated.
#[derive(Debug, Clone)]
pub struct KeysetPage {
    size: u64,
    backward: bool,
    cursor: Option<Vec<Value>>,
    count_total: bool,
}

impl KeysetPage {
    /// The page `first`/`after` or `last`/`before` ask for, of the list `keyset` orders; a cursor
    /// of another list or order is `BAD_USER_INPUT`.
    pub fn new<C: ColumnTrait>(
        keyset: &Keyset<C>,
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
    ) -> ApiResult<Self> {
        if first.is_some() && last.is_some() {
            return Err(ResolverError::bad_input(
                "last",
                "page one way at a time: give `first` (with `after`) or `last` (with `before`)",
            ));
        }
        if after.is_some() && before.is_some() {
            return Err(ResolverError::bad_input(
                "before",
                "page one way at a time: give `after` or `before`",
            ));
        }
        let backward = last.is_some() || (before.is_some() && first.is_none());
        let (size_field, size) = if backward {
            ("last", last)
        } else {
            ("first", first)
        };
        let size = match size {
            None => DEFAULT_PAGE_SIZE,
            Some(n) => u64::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| {
                    ResolverError::bad_input(
                        size_field,
                        format!("must be between 0 and {MAX_PAGE_SIZE}"),
                    )
                })?,
        };
        let (cursor_field, cursor) = if backward {
            ("before", before)
        } else {
            ("after", after)
        };
        let (signature, terms) = (keyset.signature(), keyset.terms(false).len());
        let cursor = cursor
            .map(|cursor| {
                decode_cursor(cursor, &signature)
                    .filter(|position| position.len() == terms)
                    .ok_or_else(|| {
                        ResolverError::bad_input(
                            cursor_field,
                            "is not a cursor of this list in this order: start from the first page",
                        )
                    })
            })
            .transpose()?;
        Ok(Self {
            size,
            backward,
            cursor,
            count_total: true,
        })
    }

    /// Skips the count statement when the query does not select `totalCount`.
    pub fn counting_if_selected(mut self, ctx: &async_graphql::Context<'_>) -> Self {
        self.count_total = ctx.look_ahead().field("totalCount").exists();
        self
    }
}

fn encode_cursor(signature: &str, position: &[Value]) -> String {
    let values: Vec<Json> = position.iter().map(tagged).collect();
    URL_SAFE_NO_PAD.encode(format!(
        "{CURSOR_VERSION}:{signature}:{}",
        Json::Array(values)
    ))
}

fn decode_cursor(cursor: &str, signature: &str) -> Option<Vec<Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (version, rest) = text.split_once(':')?;
    let (signed, text) = rest.split_once(':')?;
    if version != CURSOR_VERSION || signed != signature {
        return None;
    }
    let Json::Array(values) = serde_json::from_str(text).ok()? else {
        return None;
    };
    values.iter().map(untagged).collect()
}

/// A value as `[type, text]` (`[type, null]` for a null), so that it comes back as itself.
fn tagged(value: &Value) -> Json {
    let (tag, text) = match value {
        Value::Bool(v) => ("b", v.map(|v| v.to_string())),
        Value::SmallInt(v) => ("i2", v.map(|v| v.to_string())),
        Value::Int(v) => ("i4", v.map(|v| v.to_string())),
        Value::BigInt(v) => ("i8", v.map(|v| v.to_string())),
        Value::String(v) => ("s", v.clone()),
        Value::Uuid(v) => ("u", v.map(|v| v.to_string())),
        Value::Decimal(v) => ("n", v.map(|v| v.to_string())),
        Value::ChronoDate(v) => ("d", v.map(|v| v.to_string())),
        Value::ChronoDateTimeUtc(v) => ("t", v.map(|v| v.to_rfc3339())),
        // No sort key has another type; a cursor of one would not come back.
        _ => ("?", None),
    };
    json!([tag, text])
}

fn untagged(value: &Json) -> Option<Value> {
    let [Json::String(tag), text] = value.as_array()?.as_slice() else {
        return None;
    };
    let text = match text {
        Json::Null => None,
        Json::String(text) => Some(text.as_str()),
        _ => return None,
    };
    fn parse<T: std::str::FromStr>(text: Option<&str>) -> Option<Option<T>> {
        text.map(|text| text.parse().ok())
            .map_or(Some(None), |v| v.map(Some))
    }
    Some(match tag.as_str() {
        "b" => Value::Bool(parse(text)?),
        "i2" => Value::SmallInt(parse(text)?),
        "i4" => Value::Int(parse(text)?),
        "i8" => Value::BigInt(parse(text)?),
        "s" => Value::String(text.map(str::to_owned)),
        "u" => Value::Uuid(parse::<Uuid>(text)?),
        "n" => Value::Decimal(parse::<Decimal>(text)?),
        "d" => Value::ChronoDate(parse::<NaiveDate>(text)?),
        "t" => Value::ChronoDateTimeUtc(parse::<DateTime<Utc>>(text)?),
        _ => return None,
    })
}

/// One page of `select` (already filtered; its own order is replaced by `keyset`'s) as a
/// connection of `node(row)`. Two statements, whatever the page size or depth: the count (only
/// when selected) and the page.
pub async fn paginate_keyset<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    keyset: &Keyset<E::Column>,
    page: KeysetPage,
    node: impl Fn(E::Model) -> N,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
{
    keyset_page(db, select, keyset, page, node, |select| select.all(db)).await
}

/// As [`paginate_keyset`], reading the page's rows by position ([`crate::rows`]).
pub async fn paginate_keyset_by_position<E, N>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    keyset: &Keyset<E::Column>,
    page: KeysetPage,
    node: impl Fn(E::Model) -> N,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync + ByPosition,
    N: OutputType,
{
    keyset_page(db, select, keyset, page, node, |select| {
        rows::all(db, select)
    })
    .await
}

async fn keyset_page<E, N, Rows>(
    db: &impl ConnectionTrait,
    mut select: Select<E>,
    keyset: &Keyset<E::Column>,
    page: KeysetPage,
    node: impl Fn(E::Model) -> N,
    read: impl FnOnce(Select<E>) -> Rows,
) -> Result<Page<N>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    N: OutputType,
    Rows: Future<Output = Result<Vec<E::Model>, DbErr>>,
{
    QueryTrait::query(&mut select).clear_order_by();
    let total_count = if page.count_total {
        select.clone().count(db).await?
    } else {
        0
    };
    let terms = keyset.terms(page.backward);
    if let Some(position) = &page.cursor {
        select = select.filter(beyond(&terms, position));
    }
    for (expr, order) in &terms {
        select = select.order_by(expr.clone(), order.clone());
    }
    let mut rows = read(select.limit(page.size + 1)).await?;
    let more = rows.len() as u64 > page.size;
    rows.truncate(usize::try_from(page.size).unwrap_or(usize::MAX));
    if page.backward {
        rows.reverse();
    }
    let came_from_cursor = page.cursor.is_some();
    let (has_previous, has_next) = if page.backward {
        (more, came_from_cursor)
    } else {
        (came_from_cursor, more)
    };
    let mut connection =
        Connection::with_additional_fields(has_previous, has_next, ConnectionTotal { total_count });
    let signature = keyset.signature();
    connection.edges.extend(rows.into_iter().map(|row| {
        let cursor = encode_cursor(&signature, &keyset.position(&row));
        Edge::new(cursor, node(row))
    }));
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tenants::Column;

    #[test]
    fn cursors_round_trip_every_key_type_and_foreign_ones_are_refused() {
        let position = vec![
            Value::Bool(Some(true)),
            Value::Int(None),
            Value::Int(Some(2019)),
            Value::String(Some("Pinot \"Noir\"".to_owned())),
            Value::Decimal(Some(Decimal::new(12_345, 2))),
            Value::ChronoDate(NaiveDate::from_ymd_opt(2026, 12, 5)),
            Value::ChronoDateTimeUtc(Some(Utc::now())),
            Value::Uuid(Some(Uuid::now_v7())),
        ];
        assert_eq!(
            decode_cursor(&encode_cursor("sig", &position), "sig"),
            Some(position.clone())
        );
        assert_eq!(
            decode_cursor(&encode_cursor("sig", &position), "other"),
            None
        );
        let offset_cursor = URL_SAFE_NO_PAD.encode("offset:41");
        let keyset = Keyset::by(Column::CreatedAt, Order::Desc, Column::Id);
        let page =
            |first, after, last, before| KeysetPage::new(&keyset, first, after, last, before);
        assert!(page(None, Some(offset_cursor.as_str()), None, None).is_err());
        assert!(page(None, Some("garbage"), None, None).is_err());
        assert!(page(Some(5), None, Some(5), None).is_err());
        assert!(page(Some(101), None, None, None).is_err());
        assert!(page(None, None, Some(-1), None).is_err());
        let backward = page(None, None, Some(3), None).unwrap();
        assert!(backward.backward && backward.size == 3);
        // A cursor of another order of the same list is refused.
        let by_total = Keyset::by(Column::Name, Order::Desc, Column::Id);
        let theirs = encode_cursor(
            &by_total.signature(),
            &[Value::String(None), Value::Uuid(None)],
        );
        assert!(page(Some(5), Some(theirs.as_str()), None, None).is_err());
    }

    #[test]
    fn one_way_orders_compare_as_one_row_value_and_mixed_ones_term_by_term() {
        let keyset = Keyset::by(Column::CreatedAt, Order::Desc, Column::Id);
        let terms = keyset.terms(false);
        let position = [
            Value::ChronoDateTimeUtc(Some(Utc::now())),
            Value::Uuid(Some(Uuid::nil())),
        ];
        let sql = sea_orm::sea_query::Query::select()
            .expr(Expr::val(1))
            .and_where(beyond(&terms, &position))
            .to_string(sea_orm::sea_query::PostgresQueryBuilder);
        assert!(sql.contains(") < ("), "{sql}");
        let mut nullable =
            Keyset::by(Column::CreatedAt, Order::Desc, Column::Id).then(Column::Name, Order::Asc);
        nullable.keys[1].nulls_last = true;
        let position = [
            Value::ChronoDateTimeUtc(Some(Utc::now())),
            Value::Bool(Some(true)),
            Value::String(None),
            Value::Uuid(Some(Uuid::nil())),
        ];
        let sql = sea_orm::sea_query::Query::select()
            .expr(Expr::val(1))
            .and_where(beyond(&nullable.terms(true), &position))
            .to_string(sea_orm::sea_query::PostgresQueryBuilder);
        assert!(
            sql.contains("IS NOT DISTINCT FROM") && sql.contains(" OR "),
            "{sql}"
        );
        assert_eq!(
            sql.matches(" OR ").count(),
            2,
            "the null term adds no clause: {sql}"
        );
    }
}
