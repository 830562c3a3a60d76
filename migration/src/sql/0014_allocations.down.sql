DROP TABLE allocations;
DELETE FROM role_permissions
WHERE permission_id = (SELECT id FROM permissions WHERE key = 'allocations.manage');
DELETE FROM permissions WHERE key = 'allocations.manage';
ALTER TABLE skus DROP COLUMN allocated;
