-- Password resets for portal users too: a row names either a member of staff (`user_id`) or a
-- customer's portal user (`portal_user_id`, with its `customer_id`), never both, and the stored row
-- decides whose password its token sets. Portal rows carry their customer so that the table's scope
-- can become `Customer("customer_id")`: a portal admin issues tokens for its own customer's portal
-- users within its own request, and a portal request still sees no staff row, whose `customer_id`
-- is NULL and so equals no customer.
ALTER TABLE password_resets
  ALTER COLUMN user_id DROP NOT NULL,
  ADD COLUMN customer_id uuid,
  ADD COLUMN portal_user_id uuid,
  -- Who issued it when a portal admin did; NULL otherwise (and once that portal user is deleted).
  ADD COLUMN requested_by_portal_user_id uuid,
  ADD CONSTRAINT password_resets_one_account_check CHECK (num_nonnulls(user_id, portal_user_id) = 1),
  ADD CONSTRAINT password_resets_customer_check CHECK ((customer_id IS NULL) = (portal_user_id IS NULL)),
  -- A portal admin issues only for a portal user (a staff row has no customer, so the key below
  -- would not hold it), and a token has one requester.
  ADD CONSTRAINT password_resets_portal_requester_check CHECK (
    requested_by_portal_user_id IS NULL
    OR (portal_user_id IS NOT NULL AND requested_by_user_id IS NULL)),
  ADD CONSTRAINT password_resets_portal_user_fkey FOREIGN KEY (tenant_id, customer_id, portal_user_id)
    REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE,
  ADD CONSTRAINT password_resets_requested_by_portal_user_fkey
    FOREIGN KEY (tenant_id, customer_id, requested_by_portal_user_id)
    REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE SET NULL (requested_by_portal_user_id);
-- One token per portal user, as issuing keeps it (it replaces the last under the account's row
-- lock); the index also serves the key. Staff rows keep migration 15's plain index, whatever rows
-- it already holds.
CREATE UNIQUE INDEX password_resets_portal_user_key ON password_resets (tenant_id, customer_id, portal_user_id)
  WHERE portal_user_id IS NOT NULL;
CREATE INDEX password_resets_requested_by_portal_idx
  ON password_resets (tenant_id, customer_id, requested_by_portal_user_id);
