//! Request-scoped batch loaders over the orders crate's batched reads.

use crate::entities::{cart_items, invoices, list_items, order_lines, orders, payments};
use crate::service::batch;
use leora_tenancy::graphql::BatchLoad;
use leora_tenancy::graphql::LoadFailed;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

macro_rules! batch_loader {
    ($(#[$meta:meta])* $name:ident, $value:ty, $batch:path) => {
        $(#[$meta])*
        pub struct $name(pub Arc<DatabaseTransaction>);

        impl BatchLoad<Uuid> for $name {
            type Value = $value;

            async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, $value>, LoadFailed> {
                $batch(&self.0, ids).await.map_err(LoadFailed::log)
            }
        }
    };
}

batch_loader!(
    /// An order's lines, by line number.
    LinesOfOrder, Vec<order_lines::Model>, batch::lines_of_orders
);
batch_loader!(
    /// An order's invoice, if issued.
    InvoiceOfOrder, invoices::Model, batch::invoices_of_orders
);
batch_loader!(
    PaymentsOfInvoice,
    Vec<payments::Model>,
    batch::payments_of_invoices
);
batch_loader!(ItemsOfCart, Vec<cart_items::Model>, batch::items_of_carts);
batch_loader!(ItemsOfList, Vec<list_items::Model>, batch::items_of_lists);

/// Orders by id (for invoices).
pub struct OrderById(pub Arc<DatabaseTransaction>);

impl BatchLoad<Uuid> for OrderById {
    type Value = orders::Model;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, orders::Model>, LoadFailed> {
        let rows = orders::Entity::find()
            .filter(orders::Column::Id.is_in(ids.iter().copied()))
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}
