ALTER TABLE tenant_settings
  DROP COLUMN IF EXISTS last_order_number,
  DROP COLUMN IF EXISTS last_invoice_number,
  DROP COLUMN IF EXISTS cart_ttl_hours;
