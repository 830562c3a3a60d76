-- Keyset pages of the activities and tasks lists in the orders `orderBy` offers, across a whole
-- tenant (admins; the filtered lists of a rep or a customer use the indexes of the baseline).
CREATE INDEX activities_occurred_idx ON activities (tenant_id, occurred_at, id);
CREATE INDEX activities_created_idx ON activities (tenant_id, created_at, id);
CREATE INDEX tasks_due_idx ON tasks (tenant_id, due_at, id);
CREATE INDEX tasks_created_idx ON tasks (tenant_id, created_at, id);
