-- Refunds (crates/orders/src/service/invoices.rs, `refund_payment`): money returned against a
-- completed payment. What was refunded is kept on the payment itself, the reason and the amount of
-- each refund in its `payment.refunded` event (webhook_events, in the same transaction), so the
-- schema keeps its tables. A payment is `refunded` exactly when all of it was returned: the void
-- rule counts completed payments, and a payment refunded in full must no longer count.
ALTER TABLE payments
  ADD COLUMN refunded_amount numeric(14, 2) NOT NULL DEFAULT 0,
  ADD CONSTRAINT payments_refund_within_amount
    CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  ADD CONSTRAINT payments_refunded_in_full
    CHECK ((status = 'refunded') = (refunded_amount = amount));

-- Returning money is an admin's decision, not every invoicing clerk's.
INSERT INTO permissions (key, description, audience) VALUES
  ('payments.refund', 'Refund payments', 'internal');

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.key = 'payments.refund'
WHERE r.tenant_id IS NULL AND r.name = 'admin';
