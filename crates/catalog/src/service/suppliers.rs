//! A tenant's own suppliers. The shared directory (rows without a tenant) is visible to every
//! tenant and changeable by none: the database's policies refuse it, and these functions say so
//! with `Forbidden` rather than a silent "not found".

use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, not_found_unless_updated};
use leora_tenancy::sql::{Violation, violated_constraint};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, QueryOrder, Select, Set};
use uuid::Uuid;

use super::validate::{optional_email, optional_text, required_text};
use crate::entities::suppliers::{self, SupplierStatus};
use crate::error::CatalogError;

const ENTITY: &str = "supplier";

/// The tenant's suppliers and the shared directory, by name (the caller breaks ties).
pub fn suppliers() -> Select<suppliers::Entity> {
    suppliers::Entity::find().order_by_asc(suppliers::Column::Name)
}

/// One of the tenant's suppliers or a directory entry; any other → `NotFound`.
pub async fn supplier(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<suppliers::Model, CatalogError> {
    find_visible::<suppliers::Entity, CatalogError>(tx, id, ENTITY).await
}

#[derive(Debug, Clone)]
pub struct NewSupplier {
    pub name: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub country: Option<String>,
}

/// Changes to a supplier: `None` leaves a field as it is; for optional fields `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default)]
pub struct SupplierChanges {
    pub name: Option<String>,
    pub contact_name: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub status: Option<SupplierStatus>,
}

/// Adds an active supplier of the tenant. Blank name → `BadInput` on `name`; bad email →
/// `BadInput` on `contactEmail`; a name the tenant already uses → `Conflict` on `name`.
pub async fn create_supplier(
    tx: &TenantTx,
    input: NewSupplier,
) -> Result<suppliers::Model, CatalogError> {
    let tenant_id = tx.tenant_id();
    suppliers::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(Some(tenant_id)),
        name: Set(required_text("name", &input.name)?),
        contact_name: Set(optional_text(input.contact_name)),
        contact_email: Set(optional_email("contactEmail", input.contact_email)?),
        phone: Set(optional_text(input.phone)),
        website: Set(optional_text(input.website)),
        country: Set(optional_text(input.country)),
        status: Set(SupplierStatus::Active),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(write_error)
}

/// Changes one of the tenant's suppliers, with the rules of [`create_supplier`]. A shared
/// directory entry → `Forbidden`.
pub async fn update_supplier(
    tx: &DatabaseTransaction,
    id: Uuid,
    changes: SupplierChanges,
) -> Result<suppliers::Model, CatalogError> {
    let mut supplier: suppliers::ActiveModel = own_supplier(tx, id).await?.into();
    if let Some(name) = changes.name {
        supplier.name = Set(required_text("name", &name)?);
    }
    if let Some(contact_name) = changes.contact_name {
        supplier.contact_name = Set(optional_text(contact_name));
    }
    if let Some(contact_email) = changes.contact_email {
        supplier.contact_email = Set(optional_email("contactEmail", contact_email)?);
    }
    if let Some(phone) = changes.phone {
        supplier.phone = Set(optional_text(phone));
    }
    if let Some(website) = changes.website {
        supplier.website = Set(optional_text(website));
    }
    if let Some(country) = changes.country {
        supplier.country = Set(optional_text(country));
    }
    if let Some(status) = changes.status {
        supplier.status = Set(status);
    }
    supplier.update(tx).await.map_err(write_error)
}

/// Marks one of the tenant's suppliers inactive; its products keep it.
pub async fn deactivate_supplier(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<suppliers::Model, CatalogError> {
    let changes = SupplierChanges {
        status: Some(SupplierStatus::Inactive),
        ..Default::default()
    };
    update_supplier(tx, id, changes).await
}

async fn own_supplier(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<suppliers::Model, CatalogError> {
    let supplier = find_visible::<suppliers::Entity, CatalogError>(tx, id, ENTITY).await?;
    if supplier.tenant_id.is_none() {
        return Err(CatalogError::Forbidden {
            reason: "suppliers of the shared directory cannot be changed",
        });
    }
    Ok(supplier)
}

fn write_error(error: DbErr) -> CatalogError {
    match violated_constraint(&error) {
        Some(Violation::Unique("suppliers_tenant_id_name_key")) => {
            CatalogError::conflict("name", "a supplier with this name already exists")
        }
        _ => not_found_unless_updated(ENTITY, error),
    }
}
