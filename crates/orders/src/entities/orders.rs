//! `orders`: a customer's order, placed by an internal user, a portal user, or neither (imports).

use leora_catalog::entities::customers;
use leora_identity::entities::{portal_users, users};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub order_number: String,
    pub customer_id: Uuid,
    pub placed_by_user_id: Option<Uuid>,
    pub placed_by_portal_user_id: Option<Uuid>,
    pub status: OrderStatus,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub subtotal: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub tax_total: Decimal,
    /// Always `subtotal + tax_total`.
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub total: Decimal,
    #[sea_orm(column_type = "Text")]
    pub currency: String,
    pub requested_delivery_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub idempotency_key: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub fulfilled_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Who submitted it beyond the customer's credit limit, holding `orders.override_credit`.
    pub credit_override_by_user_id: Option<Uuid>,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    order_number,
    customer_id,
    placed_by_user_id,
    placed_by_portal_user_id,
    status as text_enum,
    subtotal,
    tax_total,
    total,
    currency,
    requested_delivery_date,
    idempotency_key,
    notes,
    submitted_at,
    confirmed_at,
    fulfilled_at,
    delivered_at,
    cancelled_at,
    created_at,
    updated_at,
    credit_override_by_user_id,
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum OrderStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "submitted")]
    Submitted,
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "fulfilled")]
    Fulfilled,
    #[sea_orm(string_value = "delivered")]
    Delivered,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id;
    PlacedByUser: belongs_to users::Entity, from Column::PlacedByUserId, to users::Column::Id, on_delete SetNull;
    PlacedByPortalUser: belongs_to portal_users::Entity, from Column::PlacedByPortalUserId, to portal_users::Column::Id, on_delete SetNull;
    CreditOverrideByUser: belongs_to users::Entity, from Column::CreditOverrideByUserId, to users::Column::Id, on_delete SetNull;
    OrderLines: has_many super::order_lines::Entity;
    Invoice: has_one super::invoices::Entity;
    Carts: has_many super::carts::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    customers::Entity => Relation::Customer;
    users::Entity => Relation::PlacedByUser;
    portal_users::Entity => Relation::PlacedByPortalUser;
    super::order_lines::Entity => Relation::OrderLines;
    super::invoices::Entity => Relation::Invoice;
    super::carts::Entity => Relation::Carts;
}

impl ActiveModelBehavior for ActiveModel {}
