//! `payments`: money received against an invoice, and how much of it was refunded.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The invoice's customer (part of the composite key to `invoices`).
    pub customer_id: Uuid,
    pub invoice_id: Uuid,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub amount: Decimal,
    pub method: PaymentMethod,
    #[sea_orm(column_type = "Text")]
    pub reference: Option<String>,
    pub received_at: DateTimeUtc,
    pub status: PaymentStatus,
    /// Returned to the customer so far: at most `amount`; all of it exactly when the status is
    /// `refunded`.
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub refunded_amount: Decimal,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PaymentMethod {
    #[sea_orm(string_value = "ach")]
    Ach,
    #[sea_orm(string_value = "check")]
    Check,
    #[sea_orm(string_value = "credit_card")]
    CreditCard,
    #[sea_orm(string_value = "wire")]
    Wire,
    #[sea_orm(string_value = "cash")]
    Cash,
    #[sea_orm(string_value = "other")]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PaymentStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "failed")]
    Failed,
    #[sea_orm(string_value = "refunded")]
    Refunded,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Invoice: belongs_to super::invoices::Entity, from Column::InvoiceId, to super::invoices::Column::Id;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::invoices::Entity => Relation::Invoice;
}

impl ActiveModelBehavior for ActiveModel {}
