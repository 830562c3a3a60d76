//! Enums shared beyond one compliance table.

use sea_orm::entity::prelude::*;

/// The tax category of a product: `state_tax_rates.product_category`, and catalog's
/// `products.category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ProductCategory {
    #[sea_orm(string_value = "wine")]
    Wine,
    #[sea_orm(string_value = "spirits")]
    Spirits,
    #[sea_orm(string_value = "beer")]
    Beer,
    #[sea_orm(string_value = "other")]
    Other,
}
