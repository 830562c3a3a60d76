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

/// The `Relation` enum of the entity module it is used in, and its `RelationTrait`: one line per
/// relation, in the words of sea-orm's own `DeriveRelation` attributes: `Variant: belongs_to
/// target, from column, to column[, on_delete Action];` for a foreign key this entity holds,
/// `Variant: has_many target;` (or `has_one`) for one the other side holds.
///
/// ```text
/// leora_tenancy::relations! {
///     Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
///     Lines: has_many super::order_lines::Entity;
/// }
/// ```
#[macro_export]
macro_rules! relations {
    ($(
        $variant:ident: $kind:ident $target:path
        $(, from $from:expr, to $to:expr)?
        $(, on_delete $action:ident)?;
    )*) => {
        #[derive(Copy, Clone, Debug, sea_orm::EnumIter)]
        pub enum Relation {
            $($variant,)*
        }

        impl sea_orm::RelationTrait for Relation {
            fn def(&self) -> sea_orm::RelationDef {
                match self {
                    $(
                        Self::$variant => <Entity as sea_orm::EntityTrait>::$kind($target)
                            $(.from($from).to($to))?
                            $(.on_delete(sea_orm::prelude::ForeignKeyAction::$action))?
                            .into(),
                    )*
                }
            }
        }
    };
}
