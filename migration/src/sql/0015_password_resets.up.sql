-- Password resets: a single-use, expiring token an admin issues for a member of staff (or the
-- operator's `leora tenants create` issues for a new tenant's first admin), with which the user
-- sets a password without knowing the current one. Only the SHA-256 of the token's secret is
-- stored, as for refresh tokens, so a leaked table yields no usable token. A user has at most one
-- row: issuing a new token replaces the previous one.
CREATE TABLE password_resets (
  id                   uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id              uuid NOT NULL,
  token_hash           text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at           timestamptz NOT NULL,
  used_at              timestamptz,
  -- Who issued it; NULL for the operator's command (and once that user is deleted).
  requested_by_user_id uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at > created_at),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, requested_by_user_id) REFERENCES users (tenant_id, id)
    ON DELETE SET NULL (requested_by_user_id)
);
CREATE INDEX password_resets_user_idx ON password_resets (tenant_id, user_id);
CREATE INDEX password_resets_requested_by_idx ON password_resets (tenant_id, requested_by_user_id);
