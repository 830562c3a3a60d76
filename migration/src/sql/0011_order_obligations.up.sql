-- What an order must clear before it is submitted: a manager's credit override is recorded on the
-- order, holders of `orders.override_credit` may give it, and each tenant sets the largest line
-- discount (a percentage of the line) each internal role may give.
INSERT INTO permissions (key, description, audience) VALUES
  ('orders.override_credit', 'Submit an order beyond the customer''s credit limit', 'internal');

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.key = 'orders.override_credit'
WHERE r.tenant_id IS NULL AND r.name IN ('admin', 'sales_manager');

ALTER TABLE orders ADD COLUMN credit_override_by_user_id uuid;
ALTER TABLE orders ADD CONSTRAINT orders_credit_override_by_user_fkey
  FOREIGN KEY (tenant_id, credit_override_by_user_id) REFERENCES users (tenant_id, id)
  ON DELETE SET NULL (credit_override_by_user_id);
CREATE INDEX orders_credit_override_by_user_idx ON orders (tenant_id, credit_override_by_user_id);

ALTER TABLE tenant_settings ADD COLUMN line_discount_limits jsonb NOT NULL
  DEFAULT '{"sales_rep": 10, "sales_manager": 25, "admin": 100}'
  CHECK (jsonb_typeof(line_discount_limits) = 'object');
