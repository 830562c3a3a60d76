DROP FUNCTION get_account_team();
DROP FUNCTION get_current_user_id();
DELETE FROM role_permissions
WHERE permission_id = (SELECT id FROM permissions WHERE key = 'accounts.view_all');
DELETE FROM permissions WHERE key = 'accounts.view_all';
