DELETE FROM role_permissions
WHERE permission_id = (SELECT id FROM permissions WHERE key = 'analytics.manage');
DELETE FROM permissions WHERE key = 'analytics.manage';
