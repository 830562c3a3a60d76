-- Migration 15's table holds staff tokens only: portal users' tokens go (a portal user whose token
-- is gone asks for another). FORCE is lifted for the delete so that a migration role that owns the
-- table without being a superuser sees every tenant's rows.
ALTER TABLE password_resets NO FORCE ROW LEVEL SECURITY;
DELETE FROM password_resets WHERE portal_user_id IS NOT NULL;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
DROP INDEX password_resets_requested_by_portal_idx;
DROP INDEX password_resets_portal_user_key;
ALTER TABLE password_resets
  DROP CONSTRAINT password_resets_requested_by_portal_user_fkey,
  DROP CONSTRAINT password_resets_portal_user_fkey,
  DROP CONSTRAINT password_resets_portal_requester_check,
  DROP CONSTRAINT password_resets_customer_check,
  DROP CONSTRAINT password_resets_one_account_check,
  DROP COLUMN requested_by_portal_user_id,
  DROP COLUMN portal_user_id,
  DROP COLUMN customer_id,
  ALTER COLUMN user_id SET NOT NULL;
