//! `call_plans`: a rep's scheduled call on a customer, and how it went.

use leora_catalog::entities::customers;
use leora_identity::entities::users;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub customer_id: Uuid,
    pub scheduled_for: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub objective: String,
    pub status: CallPlanStatus,
    #[sea_orm(column_type = "Text")]
    pub outcome: Option<String>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum CallPlanStatus {
    #[sea_orm(string_value = "planned")]
    Planned,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "missed")]
    Missed,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to users::Entity, from Column::UserId, to users::Column::Id;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::User;
    customers::Entity => Relation::Customer;
}

impl ActiveModelBehavior for ActiveModel {}
