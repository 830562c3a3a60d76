//! `sales_metrics`: one aggregated figure for a period, for a rep, a customer, or the whole tenant
//! (when both are `None`).

use leora_catalog::entities::customers;
use leora_identity::entities::users;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales_metrics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub metric: MetricKind,
    pub period: MetricPeriod,
    pub period_start: Date,
    #[sea_orm(column_type = "Decimal(Some((16, 4)))")]
    pub value: Decimal,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum MetricKind {
    #[sea_orm(string_value = "revenue")]
    Revenue,
    #[sea_orm(string_value = "order_count")]
    OrderCount,
    #[sea_orm(string_value = "average_order_value")]
    AverageOrderValue,
    #[sea_orm(string_value = "units")]
    Units,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum MetricPeriod {
    #[sea_orm(string_value = "day")]
    Day,
    #[sea_orm(string_value = "week")]
    Week,
    #[sea_orm(string_value = "month")]
    Month,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to users::Entity, from Column::UserId, to users::Column::Id, on_delete Cascade;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::User;
    customers::Entity => Relation::Customer;
}

impl ActiveModelBehavior for ActiveModel {}
