//! Seeding stops at the first failure, saying which domain refused what.

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Tenancy(#[from] leora_tenancy::TenancyError),
    #[error(transparent)]
    Identity(#[from] leora_identity::IdentityError),
    #[error(transparent)]
    Catalog(#[from] leora_catalog::error::CatalogError),
    #[error(transparent)]
    Compliance(#[from] leora_compliance::error::ComplianceError),
    #[error(transparent)]
    Orders(#[from] leora_orders::error::OrdersError),
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
}
