//! List filters' optional fields: a field the caller leaves out narrows nothing (and adds nothing
//! to the statement).

use sea_orm::sea_query::IntoCondition;
use sea_orm::{ColumnTrait, QueryFilter, Value};

/// The stored values of a filter's "any of these" list (`statuses: [DRAFT, SUBMITTED]`); empty,
/// which narrows nothing, when the list is absent. Repeats are dropped, so however long the list a
/// client sends, the `IN (…)` it becomes holds at most one value per variant.
pub fn any_of<T, U: From<T> + PartialEq>(asked: Option<Vec<T>>) -> Vec<U> {
    let mut values: Vec<U> = Vec::new();
    for value in asked.unwrap_or_default().into_iter().map(U::from) {
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

/// Narrowing a query by a list filter's optional fields.
pub trait FilterIfGiven: QueryFilter + Sized {
    /// `condition`, when there is one.
    fn filter_if(self, condition: Option<impl IntoCondition>) -> Self {
        match condition {
            Some(condition) => self.filter(condition),
            None => self,
        }
    }

    /// `column = value`, when a value is given.
    fn filter_eq<V: Into<Value>>(self, column: impl ColumnTrait, value: Option<V>) -> Self {
        self.filter_if(value.map(|value| column.eq(value)))
    }

    /// `column IN (values)`, when there are any: an empty list narrows nothing, the way a left-out
    /// field does, rather than matching no row.
    fn filter_in<V: Into<Value>>(
        self,
        column: impl ColumnTrait,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        let values: Vec<Value> = values.into_iter().map(Into::into).collect();
        self.filter_if((!values.is_empty()).then(|| column.is_in(values)))
    }

    /// `column` from `from` to `to`, both inclusive: the API's one rule for ranges, for dates and
    /// instants alike.
    fn filter_within<V: Into<Value>>(
        self,
        column: impl ColumnTrait,
        from: Option<V>,
        to: Option<V>,
    ) -> Self {
        self.filter_if(from.map(|from| column.gte(from)))
            .filter_if(to.map(|to| column.lte(to)))
    }
}

impl<Q: QueryFilter> FilterIfGiven for Q {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tenants::{Column, Entity, TenantStatus};
    use sea_orm::{DbBackend, EntityTrait, QueryTrait, Select};

    fn sql(select: Select<Entity>) -> String {
        select.build(DbBackend::Postgres).to_string()
    }

    #[test]
    fn an_any_of_list_keeps_one_of_each_value_and_none_when_absent() {
        let asked = Some(vec![
            TenantStatus::Active,
            TenantStatus::Suspended,
            TenantStatus::Active,
        ]);
        let kept: Vec<TenantStatus> = any_of(asked);
        assert_eq!(kept, vec![TenantStatus::Active, TenantStatus::Suspended]);
        assert!(any_of::<TenantStatus, TenantStatus>(None).is_empty());
    }

    #[test]
    fn fields_left_out_add_nothing() {
        let narrowed = Entity::find()
            .filter_eq(Column::Slug, None::<String>)
            .filter_in(Column::Slug, Vec::<String>::new())
            .filter_within(Column::Name, None::<String>, None);
        assert_eq!(sql(narrowed), sql(Entity::find()));
    }

    fn where_clause(select: Select<Entity>) -> Option<String> {
        sql(select)
            .split_once(" WHERE ")
            .map(|(_, clause)| clause.to_owned())
    }

    #[test]
    fn given_fields_narrow_and_ranges_include_both_ends() {
        assert_eq!(
            where_clause(Entity::find().filter_eq(Column::Slug, Some("acme"))).as_deref(),
            Some(r#""tenants"."slug" = 'acme'"#)
        );
        assert_eq!(
            where_clause(Entity::find().filter_within(Column::Name, Some("a"), Some("b")))
                .as_deref(),
            Some(r#""tenants"."name" >= 'a' AND "tenants"."name" <= 'b'"#)
        );
    }

    #[test]
    fn a_given_list_matches_any_of_its_values() {
        assert_eq!(
            where_clause(Entity::find().filter_in(Column::Slug, ["acme", "beta"])).as_deref(),
            Some(r#""tenants"."slug" IN ('acme', 'beta')"#)
        );
    }
}
