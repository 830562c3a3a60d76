//! `customers`: a distributor's licensed accounts (restaurants, shops, bars).

use leora_identity::entities::{portal_users, users};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub account_number: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub license_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub license_state: Option<String>,
    pub license_expires_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub price_tier: Option<String>,
    pub payment_terms: PaymentTerms,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub credit_limit: Option<Decimal>,
    pub assigned_rep_id: Option<Uuid>,
    #[sea_orm(column_type = "JsonBinary")]
    pub billing_address: Option<Json>,
    #[sea_orm(column_type = "JsonBinary")]
    pub shipping_address: Option<Json>,
    pub status: CustomerStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    account_number,
    name,
    email,
    phone,
    license_number,
    license_state,
    license_expires_on,
    state,
    price_tier,
    payment_terms as text_enum,
    credit_limit,
    assigned_rep_id,
    billing_address,
    shipping_address,
    status as text_enum,
    created_at,
    updated_at,
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PaymentTerms {
    #[sea_orm(string_value = "prepaid")]
    Prepaid,
    #[sea_orm(string_value = "cod")]
    Cod,
    #[sea_orm(string_value = "net_15")]
    Net15,
    #[sea_orm(string_value = "net_30")]
    Net30,
    #[sea_orm(string_value = "net_60")]
    Net60,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum CustomerStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "on_hold")]
    OnHold,
    #[sea_orm(string_value = "inactive")]
    Inactive,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    AssignedRep: belongs_to users::Entity, from Column::AssignedRepId, to users::Column::Id, on_delete SetNull;
    PortalUsers: has_many portal_users::Entity;
    PriceListEntries: has_many super::price_list_entries::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::AssignedRep;
    portal_users::Entity => Relation::PortalUsers;
    super::price_list_entries::Entity => Relation::PriceListEntries;
}

/// `portal_users.customer_id`: identity cannot name this entity, so the relation is defined here.
impl Related<Entity> for portal_users::Entity {
    fn to() -> RelationDef {
        portal_users::Entity::belongs_to(Entity)
            .from(portal_users::Column::CustomerId)
            .to(Column::Id)
            .on_delete(ForeignKeyAction::Cascade)
            .into()
    }
}

impl ActiveModelBehavior for ActiveModel {}
