DELETE FROM role_permissions WHERE tenant_id IS NULL;
DELETE FROM roles WHERE tenant_id IS NULL;
DELETE FROM permissions;
