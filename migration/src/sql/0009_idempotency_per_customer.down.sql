ALTER TABLE orders
  DROP CONSTRAINT orders_customer_idempotency_key_key,
  ADD CONSTRAINT orders_tenant_id_idempotency_key_key UNIQUE (tenant_id, idempotency_key);
