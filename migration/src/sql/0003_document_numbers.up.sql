-- Gapless, per-tenant order and invoice numbers. The counters live on the tenant's settings row:
-- taking a number locks that row until the transaction ends, so numbers are handed out in commit
-- order and a rolled-back transaction gives its number back.
ALTER TABLE tenant_settings
  ADD COLUMN last_order_number   bigint NOT NULL DEFAULT 0 CHECK (last_order_number >= 0),
  ADD COLUMN last_invoice_number bigint NOT NULL DEFAULT 0 CHECK (last_invoice_number >= 0),
  ADD COLUMN cart_ttl_hours      integer NOT NULL DEFAULT 168 CHECK (cart_ttl_hours > 0);
