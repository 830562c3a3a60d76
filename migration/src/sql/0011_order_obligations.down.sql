ALTER TABLE tenant_settings DROP COLUMN line_discount_limits;
ALTER TABLE orders DROP CONSTRAINT orders_credit_override_by_user_fkey;
ALTER TABLE orders DROP COLUMN credit_override_by_user_id;
DELETE FROM role_permissions
WHERE permission_id = (SELECT id FROM permissions WHERE key = 'orders.override_credit');
DELETE FROM permissions WHERE key = 'orders.override_credit';
