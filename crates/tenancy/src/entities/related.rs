//! `related!`: the `Related` impls of an entity, one line per entity it reaches.

/// Implements `sea_orm::Related` for the `Entity` of the module it is used in. Each line names an
/// entity it reaches and the relation that reaches it; a many-to-many line adds, after `via`, the
/// junction's relation back to this entity, which the query walks in reverse first.
///
/// ```text
/// leora_tenancy::related! {
///     tenants::Entity => Relation::Tenant;
///     super::permissions::Entity => super::role_permissions::Relation::Permission,
///         via super::role_permissions::Relation::Role;
/// }
/// ```
#[macro_export]
macro_rules! related {
    ($($target:ty => $to:path $(, via $via:path)?;)*) => {
        $(
            impl sea_orm::Related<$target> for Entity {
                fn to() -> sea_orm::RelationDef {
                    sea_orm::RelationTrait::def(&$to)
                }
                $(
                    fn via() -> Option<sea_orm::RelationDef> {
                        Some(sea_orm::RelationTrait::def(&$via).rev())
                    }
                )?
            }
        )*
    };
}
