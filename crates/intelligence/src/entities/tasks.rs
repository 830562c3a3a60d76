//! `tasks`: a to-do assigned to an internal user, optionally about a customer.

use leora_catalog::entities::customers;
use leora_identity::entities::users;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::Priority;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub assignee_user_id: Uuid,
    pub created_by_user_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub due_at: Option<DateTimeUtc>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum TaskStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Assignee: belongs_to users::Entity, from Column::AssigneeUserId, to users::Column::Id;
    CreatedBy: belongs_to users::Entity, from Column::CreatedByUserId, to users::Column::Id, on_delete SetNull;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::Assignee;
    customers::Entity => Relation::Customer;
}

impl ActiveModelBehavior for ActiveModel {}
