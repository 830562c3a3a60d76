-- Running the account-health job on demand rewrites the whole tenant's snapshots and metrics,
-- marks missed calls and sends notifications: managers' and admins' work, not every viewer's.
INSERT INTO permissions (key, description, audience) VALUES
  ('analytics.manage', 'Run the account-health job on demand', 'internal');

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.key = 'analytics.manage'
WHERE r.tenant_id IS NULL AND r.name IN ('admin', 'sales_manager');
