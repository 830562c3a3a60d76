//! `invoices`: the invoice for one order; `balance` is always `total - amount_paid`.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The order's customer (part of the composite key to `orders`).
    pub customer_id: Uuid,
    pub order_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub invoice_number: String,
    pub status: InvoiceStatus,
    pub issued_at: DateTimeUtc,
    pub due_date: Date,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub subtotal: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub tax_total: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub total: Decimal,
    /// What stays paid: the payments less what was refunded of them.
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub amount_paid: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub balance: Decimal,
    pub paid_at: Option<DateTimeUtc>,
    pub voided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum InvoiceStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "issued")]
    Issued,
    #[sea_orm(string_value = "partially_paid")]
    PartiallyPaid,
    #[sea_orm(string_value = "paid")]
    Paid,
    #[sea_orm(string_value = "overdue")]
    Overdue,
    #[sea_orm(string_value = "void")]
    Void,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Order: belongs_to super::orders::Entity, from Column::OrderId, to super::orders::Column::Id;
    Payments: has_many super::payments::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::orders::Entity => Relation::Order;
    super::payments::Entity => Relation::Payments;
}

impl ActiveModelBehavior for ActiveModel {}
