//! Reading rows by position, for the entities on the hot read paths.
//!
//! SeaORM's derived decoder finds every column by name (hashing the name, per column, per row)
//! and builds an error string for every NULL it meets before turning it into `None`. On the
//! benchmark's pages that was a fifth to a third of a request's instructions
//! (`docs/performance.md`). An entity read on a hot path lists its fields once with
//! [`read_by_position!`](crate::read_by_position), in declaration order (the order
//! `Entity::find()` selects them), and its loaders read with [`all`]. The first row of every
//! statement is checked against that list by column name, so a list out of step with the entity
//! fails loudly instead of handing one column's value to another field.

use sea_orm::sqlx::postgres::{PgRow, Postgres};
use sea_orm::sqlx::{Column, Decode, Row, Type};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr, EntityTrait, QueryTrait, Select};

/// A model read from a row by position; implement it with
/// [`read_by_position!`](crate::read_by_position).
pub trait ByPosition: Sized {
    /// The selected columns, in order.
    const COLUMNS: &'static [&'static str];

    fn read(row: &mut Cursor<'_>) -> Result<Self, DbErr>;
}

/// The next column of a row.
pub struct Cursor<'r> {
    row: &'r PgRow,
    next: usize,
}

impl<'r> Cursor<'r> {
    pub fn value<T>(&mut self) -> Result<T, DbErr>
    where
        T: Decode<'r, Postgres> + Type<Postgres>,
    {
        let index = self.next;
        self.next += 1;
        self.row
            .try_get(index)
            .map_err(|error| DbErr::Type(format!("column {index}: {error}")))
    }

    /// An enum stored as text.
    pub fn text_enum<T: ActiveEnum<Value = String>>(&mut self) -> Result<T, DbErr> {
        T::try_from_value(&self.value::<String>()?)
    }
}

/// Every row `select` finds. `select` must keep the entity's own columns (`Entity::find()` plus
/// filters, order and limits); a different column list is refused.
pub async fn all<E>(db: &impl ConnectionTrait, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    let rows = db.query_all(&select.into_query()).await?;
    let mut models = Vec::with_capacity(rows.len());
    for row in &rows {
        let row = row
            .try_as_pg_row()
            .ok_or_else(|| DbErr::Type("rows by position need PostgreSQL".to_owned()))?;
        if models.is_empty() {
            check_columns::<E::Model>(row)?;
        }
        models.push(E::Model::read(&mut Cursor { row, next: 0 })?);
    }
    Ok(models)
}

fn check_columns<M: ByPosition>(row: &PgRow) -> Result<(), DbErr> {
    let selected = row.columns().iter().map(Column::name);
    if selected.eq(M::COLUMNS.iter().copied()) {
        return Ok(());
    }
    let selected: Vec<&str> = row.columns().iter().map(Column::name).collect();
    Err(DbErr::Type(format!(
        "{} reads columns {:?} by position, but the statement selected {selected:?}",
        std::any::type_name::<M>(),
        M::COLUMNS
    )))
}

/// Implements [`ByPosition`] for a model from its fields in declaration order; a field stored as
/// a text enum is marked `as text_enum`. Used in an entity's module, next to its `Column`, it also
/// adds a unit test (no database) that the list is the entity's columns in the order
/// `Entity::find()` selects them.
///
/// ```text
/// read_by_position!(Model { id, tenant_id, name, status as text_enum, created_at });
/// ```
#[macro_export]
macro_rules! read_by_position {
    ($model:ty { $($field:ident $(as $kind:ident)?),* $(,)? }) => {
        impl $crate::rows::ByPosition for $model {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn read(row: &mut $crate::rows::Cursor<'_>) -> Result<Self, sea_orm::DbErr> {
                Ok(Self {
                    $($field: $crate::read_by_position!(@column row $(, $kind)?)),*
                })
            }
        }

        #[test]
        fn read_by_position_lists_the_entitys_columns_in_select_order() {
            use sea_orm::{IdenStatic, Iterable};
            let selected: Vec<&str> = Column::iter().map(|column| column.as_str()).collect();
            assert_eq!(
                <$model as $crate::rows::ByPosition>::COLUMNS,
                selected.as_slice()
            );
        }
    };
    (@column $row:ident) => {
        $row.value()?
    };
    (@column $row:ident, text_enum) => {
        $row.text_enum()?
    };
}
