DELETE FROM role_permissions
WHERE permission_id = (SELECT id FROM permissions WHERE key = 'payments.refund');
DELETE FROM permissions WHERE key = 'payments.refund';

ALTER TABLE payments
  DROP CONSTRAINT payments_refunded_in_full,
  DROP CONSTRAINT payments_refund_within_amount,
  DROP COLUMN refunded_amount;
