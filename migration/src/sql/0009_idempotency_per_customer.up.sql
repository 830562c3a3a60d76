-- An order's idempotency key is the customer's own: unique per tenant, one customer could learn of
-- (a conflict) or squat on another's keys.
ALTER TABLE orders
  DROP CONSTRAINT orders_tenant_id_idempotency_key_key,
  ADD CONSTRAINT orders_customer_idempotency_key_key UNIQUE (tenant_id, customer_id, idempotency_key);
