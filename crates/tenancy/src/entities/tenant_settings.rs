//! `tenant_settings`: one row of tunable thresholds and portal switches per tenant.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenant_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Decimal(Some((5, 4)))")]
    pub health_revenue_drop_threshold: Decimal,
    pub health_min_orders: i32,
    pub sample_pulls_per_rep_per_month: i32,
    pub sample_manager_approval_required: bool,
    pub pace_min_orders: i32,
    pub pace_risk_threshold_days: i32,
    #[sea_orm(column_type = "JsonBinary")]
    pub portal_features: Json,
    #[sea_orm(column_type = "Text")]
    pub currency: String,
    #[sea_orm(column_type = "Text")]
    pub timezone: String,
    pub last_order_number: i64,
    pub last_invoice_number: i64,
    pub cart_ttl_hours: i32,
    /// Role name → the largest line discount, in percent, a holder may give (migration 11).
    #[sea_orm(column_type = "JsonBinary")]
    pub line_discount_limits: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::relations! {
    Tenant: belongs_to super::tenants::Entity, from Column::TenantId, to super::tenants::Column::Id, on_delete Cascade;
}

crate::related! {
    super::tenants::Entity => Relation::Tenant;
}

impl ActiveModelBehavior for ActiveModel {}

#[cfg(test)]
mod tests {
    use super::*;

    /// What sea-orm's own derive makes of the same relation.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    enum Derived {
        #[sea_orm(
            belongs_to = "super::super::tenants::Entity",
            from = "Column::TenantId",
            to = "super::super::tenants::Column::Id",
            on_delete = "Cascade"
        )]
        Tenant,
    }

    #[test]
    fn relations_defines_what_derive_relation_would() {
        let made = format!("{:?}", Relation::Tenant.def());
        assert!(
            made.contains("Cascade") && made.contains("tenant_id"),
            "{made}"
        );
        assert_eq!(made, format!("{:?}", Derived::Tenant.def()));
    }
}
