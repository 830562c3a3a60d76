-- A voided invoice no longer blocks its order: the order can be invoiced again (a corrected
-- invoice, under a new number). At most one invoice per order is live (not void) at a time.
ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_id_order_id_key;
CREATE UNIQUE INDEX invoices_live_order_key ON invoices (tenant_id, order_id) WHERE status <> 'void';
