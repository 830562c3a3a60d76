//! Request-scoped batch loaders over the orders crate's batched reads.

use crate::entities::{cart_items, invoices, list_items, order_lines, orders, payments};
use crate::service::{allocations, batch};
use chrono::NaiveDate;
use leora_tenancy::batch_loader;
use uuid::Uuid;

batch_loader!(
    /// An order's lines, by line number.
    LinesOfOrder: Uuid => Vec<order_lines::Model>, batch::lines_of_orders
);
batch_loader!(
    /// An order's invoice, if issued.
    InvoiceOfOrder: Uuid => invoices::Model, batch::invoices_of_orders
);
batch_loader!(PaymentsOfInvoice: Uuid => Vec<payments::Model>, batch::payments_of_invoices);
batch_loader!(
    /// What was used of an allocation.
    UsedOfAllocation: Uuid => i64, allocations::used
);
batch_loader!(ItemsOfCart: Uuid => Vec<cart_items::Model>, batch::items_of_carts);
batch_loader!(ItemsOfList: Uuid => Vec<list_items::Model>, batch::items_of_lists);
batch_loader!(
    /// The tenant's date today, in its time zone.
    TodayOfTenant: Uuid => NaiveDate, batch::tenants_today
);
batch_loader!(
    /// Orders by id (for invoices).
    OrderById: orders by id
);
