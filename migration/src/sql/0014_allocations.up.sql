-- Allocations: limited releases. A SKU marked `allocated` is sold to a customer only up to the
-- quantity allocated to that customer for the period that includes the day of the order (the
-- tenant's date); a customer without an allocation for the day gets none. What a customer has used
-- is read from its submitted, confirmed, fulfilled and delivered orders of the period, so a
-- cancelled order gives its quantity back with nothing to undo.
ALTER TABLE skus ADD COLUMN allocated boolean NOT NULL DEFAULT false;

INSERT INTO permissions (key, description, audience) VALUES
  ('allocations.manage', 'Mark SKUs allocated and set what each customer may buy of them', 'internal');

INSERT INTO role_permissions (tenant_id, role_id, permission_id)
SELECT NULL, r.id, p.id
FROM roles r
JOIN permissions p ON p.key = 'allocations.manage'
WHERE r.tenant_id IS NULL AND r.name IN ('admin', 'sales_manager');

CREATE TABLE allocations (
  id           uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id  uuid NOT NULL,
  sku_id       uuid NOT NULL,
  period_start date NOT NULL,
  period_end   date NOT NULL,
  quantity     integer NOT NULL CHECK (quantity >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK (period_end >= period_start),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE,
  -- One allocation per customer and SKU on any day; also the index of the customer key.
  CONSTRAINT allocations_no_overlap EXCLUDE USING gist (
    tenant_id WITH =, customer_id WITH =, sku_id WITH =,
    daterange(period_start, period_end, '[]') WITH &&
  )
);
CREATE INDEX allocations_sku_idx ON allocations (tenant_id, sku_id);
