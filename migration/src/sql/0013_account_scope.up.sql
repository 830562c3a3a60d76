-- Account scope: within a tenant, an internal user sees and works only the customer accounts of
-- their team (themselves and their direct reports, by `users.manager_id`), and what belongs to
-- those accounts: orders and their lines, invoices, payments, carts, lists and customer prices.
-- Holders of `accounts.view_all` (admins), background jobs (no user) and portal requests (already
-- confined to their own customer) are not narrowed.
--
-- The restrictive policies that apply the rule are generated (appended by the migration) from the
-- list in m20261204_000013_account_scope.rs. They are ANDed with the tables' scope policies, so
-- they can only take rows away.
INSERT INTO permissions (key, description, audience) VALUES
  ('accounts.view_all', 'See and work every customer account, not only the team''s', 'internal');

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.key = 'accounts.view_all'
WHERE r.tenant_id IS NULL AND r.name = 'admin';

-- The internal user a request acts for, set per transaction next to the tenant; NULL for portal
-- users, sign-in and background jobs.
CREATE FUNCTION get_current_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.current_user_id', true), '')::uuid
$$;

-- The users whose accounts the request may see (the acting user and their direct reports), or NULL
-- when it may see every account. Runs as the caller, under the caller's row-level security, so it
-- reads only the request's own tenant. The policies call it once per statement, as an InitPlan.
CREATE FUNCTION get_account_team() RETURNS uuid[]
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN get_current_user_id() IS NULL THEN NULL
    WHEN EXISTS (
      SELECT 1
        FROM user_roles ur
        JOIN role_permissions rp ON rp.role_id = ur.role_id
        JOIN permissions p ON p.id = rp.permission_id
       WHERE ur.user_id = get_current_user_id() AND p.key = 'accounts.view_all'
    ) THEN NULL
    ELSE ARRAY(
      SELECT u.id FROM users u
       WHERE u.id = get_current_user_id() OR u.manager_id = get_current_user_id()
    )
  END
$$;
