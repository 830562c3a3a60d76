INSERT INTO permissions (key, description, audience) VALUES
  ('products.view',         'View products, skus, inventory and prices',                   'internal'),
  ('products.manage',       'Create and change products, skus, inventory and price lists', 'internal'),
  ('customers.view',        'View customer accounts',                                       'internal'),
  ('customers.manage',      'Create and change customer accounts',                          'internal'),
  ('orders.view',           'View orders',                                                   'internal'),
  ('orders.create',         'Create orders for customers',                                   'internal'),
  ('orders.manage',         'Move orders through their lifecycle and cancel them',          'internal'),
  ('invoices.view',         'View invoices and payments',                                    'internal'),
  ('invoices.manage',       'Issue invoices and record payments',                           'internal'),
  ('activities.view',       'View activities, call plans and tasks',                        'internal'),
  ('activities.manage',     'Log activities, schedule calls and manage tasks',              'internal'),
  ('samples.approve',       'Approve sample pulls beyond the monthly allowance',            'internal'),
  ('analytics.view',        'View account health and sales metrics',                        'internal'),
  ('compliance.view',       'View tax rates and compliance filings',                        'internal'),
  ('compliance.manage',     'Manage tax rates and compliance filings',                      'internal'),
  ('integrations.manage',   'Manage webhooks and integration tokens',                       'internal'),
  ('users.manage',          'Manage users, roles and portal users',                         'internal'),
  ('portal.catalog.view',   'Browse the catalog at the customer''s prices',                 'portal'),
  ('portal.orders.view',    'View the customer''s orders',                                  'portal'),
  ('portal.orders.create',  'Fill carts and lists and place orders for the customer',       'portal'),
  ('portal.invoices.view',  'View the customer''s invoices and payments',                   'portal'),
  ('portal.users.manage',   'Manage the customer''s portal users',                          'portal');

INSERT INTO roles (tenant_id, name, description, audience, is_system) VALUES
  (NULL, 'admin',         'Full access to the tenant',                         'internal', true),
  (NULL, 'sales_manager', 'Manages reps, accounts, orders and analytics',      'internal', true),
  (NULL, 'sales_rep',     'Works assigned customer accounts',                  'internal', true),
  (NULL, 'portal_admin',  'Customer staff who also manage their portal users', 'portal',   true),
  (NULL, 'portal_user',   'Customer staff who browse and order',               'portal',   true);

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.audience = r.audience
WHERE r.tenant_id IS NULL
  AND (
    r.name IN ('admin', 'portal_admin')
    OR (r.name = 'sales_manager' AND p.key IN (
      'products.view', 'customers.view', 'customers.manage', 'orders.view', 'orders.create',
      'orders.manage', 'invoices.view', 'invoices.manage', 'activities.view', 'activities.manage',
      'samples.approve', 'analytics.view', 'compliance.view'))
    OR (r.name = 'sales_rep' AND p.key IN (
      'products.view', 'customers.view', 'orders.view', 'orders.create', 'invoices.view',
      'activities.view', 'activities.manage', 'analytics.view'))
    OR (r.name = 'portal_user' AND p.key IN (
      'portal.catalog.view', 'portal.orders.view', 'portal.orders.create', 'portal.invoices.view'))
  );
