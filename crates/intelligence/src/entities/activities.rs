//! `activities`: a rep's logged visit, call, email, tasting or sample pull at a customer.

use leora_catalog::entities::{customers, skus};
use leora_identity::entities::users;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub customer_id: Uuid,
    pub kind: ActivityKind,
    pub occurred_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub outcome: Option<String>,
    /// Set, with `sample_quantity`, exactly when `kind` is `sample`.
    pub sample_sku_id: Option<Uuid>,
    pub sample_quantity: Option<i32>,
    pub sample_approval_status: SampleApprovalStatus,
    pub approved_by_user_id: Option<Uuid>,
    pub approved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ActivityKind {
    #[sea_orm(string_value = "visit")]
    Visit,
    #[sea_orm(string_value = "call")]
    Call,
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "tasting")]
    Tasting,
    #[sea_orm(string_value = "sample")]
    Sample,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum SampleApprovalStatus {
    #[sea_orm(string_value = "not_required")]
    NotRequired,
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to users::Entity, from Column::UserId, to users::Column::Id;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
    SampleSku: belongs_to skus::Entity, from Column::SampleSkuId, to skus::Column::Id;
    ApprovedBy: belongs_to users::Entity, from Column::ApprovedByUserId, to users::Column::Id;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::User;
    customers::Entity => Relation::Customer;
    skus::Entity => Relation::SampleSku;
}

impl ActiveModelBehavior for ActiveModel {}
