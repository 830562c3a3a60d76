//! `state_tax_rates`: a state's excise rate for one product category, effective from a date until
//! (exclusive) an optional end date; rates of one state and category never overlap.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::ProductCategory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "state_tax_rates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub state: String,
    pub product_category: ProductCategory,
    pub rate_kind: TaxRateKind,
    #[sea_orm(column_type = "Decimal(Some((12, 6)))")]
    pub rate: Decimal,
    pub effective_from: Date,
    pub effective_until: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// How `rate` applies: an amount per gallon, or a percentage of the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum TaxRateKind {
    #[sea_orm(string_value = "per_gallon")]
    PerGallon,
    #[sea_orm(string_value = "percent")]
    Percent,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
}

impl ActiveModelBehavior for ActiveModel {}
