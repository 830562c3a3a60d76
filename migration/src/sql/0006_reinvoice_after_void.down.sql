-- Fails while an order has a void invoice and its replacement: one of them must go first.
DROP INDEX IF EXISTS invoices_live_order_key;
ALTER TABLE invoices ADD CONSTRAINT invoices_tenant_id_order_id_key UNIQUE (tenant_id, order_id);
