-- Leora schema, part 1: functions, the 37 tables (docs/database/SCHEMA_OVERVIEW.md), constraints
-- and indexes. Row-level security, the updated_at triggers and the application role's grants are
-- generated from `isolation::tables()` (migration/src/isolation.rs) and appended by the migration.
--
-- Conventions:
--   * every tenant-owned row carries tenant_id, and every reference between tenant rows is a
--     composite foreign key (tenant_id, x_id) -> parent (tenant_id, id), so a row can never point
--     at another tenant's row;
--   * customer-owned child rows also carry customer_id, referenced together with their parent
--     (tenant_id, customer_id, parent_id), so the portal policy stays a plain comparison;
--   * statuses are text with CHECK constraints, money is numeric, times are timestamptz.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Time-ordered ids (RFC 9562 version 7) for rows created by SQL; Rust creates the same with uuid v7.
CREATE FUNCTION uuid_generate_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(
      set_bit(
        overlay(uuid_send(gen_random_uuid())
                PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                FROM 1 FOR 6),
        52, 1),
      53, 1),
    'hex')::uuid
$$;

-- The request's tenant, set per transaction by `with_tenant`. NULL when unset, so no row matches.
CREATE FUNCTION get_current_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.current_tenant_id', true), '')::uuid
$$;

-- The portal user's customer, set only for portal requests; NULL for internal users.
CREATE FUNCTION get_current_customer_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.current_customer_id', true), '')::uuid
$$;

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- ───────────────────────────── tenancy ─────────────────────────────

CREATE TABLE tenants (
  id                uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 63),
  name              text NOT NULL CHECK (length(btrim(name)) > 0),
  subscription_tier text NOT NULL DEFAULT 'starter'
                    CHECK (subscription_tier IN ('starter', 'professional', 'enterprise')),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Before login a request names its tenant by slug; the app role cannot read other tenants' rows,
-- so this one narrow lookup runs with the owner's rights.
CREATE FUNCTION tenant_id_for_slug(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT id FROM public.tenants WHERE slug = p_slug AND status = 'active'
$$;

CREATE TABLE tenant_settings (
  id                              uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id                       uuid NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE,
  health_revenue_drop_threshold   numeric(5, 4) NOT NULL DEFAULT 0.15
                                  CHECK (health_revenue_drop_threshold BETWEEN 0 AND 1),
  health_min_orders               integer NOT NULL DEFAULT 3 CHECK (health_min_orders >= 0),
  sample_pulls_per_rep_per_month  integer NOT NULL DEFAULT 60 CHECK (sample_pulls_per_rep_per_month >= 0),
  sample_manager_approval_required boolean NOT NULL DEFAULT true,
  pace_min_orders                 integer NOT NULL DEFAULT 3 CHECK (pace_min_orders >= 0),
  pace_risk_threshold_days        integer NOT NULL DEFAULT 2 CHECK (pace_risk_threshold_days >= 0),
  portal_features                 jsonb NOT NULL DEFAULT
    '{"catalog": true, "cart": true, "orders": true, "invoices": true, "lists": true, "payments": true}',
  currency                        text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  timezone                        text NOT NULL DEFAULT 'America/Los_Angeles',
  created_at                      timestamptz NOT NULL DEFAULT now(),
  updated_at                      timestamptz NOT NULL DEFAULT now()
);

-- ───────────────────────────── identity ─────────────────────────────

CREATE TABLE users (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email              text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  password_hash      text NOT NULL,
  full_name          text NOT NULL CHECK (length(btrim(full_name)) > 0),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'disabled')),
  manager_id         uuid,
  failed_login_count integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
  locked_until       timestamptz,
  last_login_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, email),
  FOREIGN KEY (tenant_id, manager_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (manager_id),
  CHECK (manager_id IS DISTINCT FROM id)
);
CREATE INDEX users_manager_idx ON users (tenant_id, manager_id);

-- audience keeps portal and internal permissions apart: a portal user can only ever hold portal
-- roles, and a portal role only portal permissions (enforced by the insert policies).
CREATE TABLE permissions (
  id          uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z_]+(\.[a-z_]+)+$'),
  description text NOT NULL,
  audience    text NOT NULL CHECK (audience IN ('internal', 'portal')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE roles (
  id          uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  description text NOT NULL DEFAULT '',
  audience    text NOT NULL CHECK (audience IN ('internal', 'portal')),
  is_system   boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE NULLS NOT DISTINCT (tenant_id, name),
  CHECK (is_system = (tenant_id IS NULL))
);

CREATE TABLE role_permissions (
  id            uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id     uuid REFERENCES tenants (id) ON DELETE CASCADE,
  role_id       uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_id uuid NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (role_id, permission_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX role_permissions_permission_idx ON role_permissions (permission_id);
CREATE INDEX role_permissions_tenant_role_idx ON role_permissions (tenant_id, role_id);

CREATE TABLE user_roles (
  id         uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL,
  role_id    uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, user_id, role_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

-- Refresh-token sessions of internal users; the same shape as portal_sessions (added beyond the
-- 36 tables: internal users log in too, and their sessions must be revocable).
CREATE TABLE user_sessions (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id            uuid NOT NULL,
  family_id          uuid NOT NULL,
  refresh_token_hash text NOT NULL UNIQUE,
  expires_at         timestamptz NOT NULL,
  rotated_at         timestamptz,
  revoked_at         timestamptz,
  user_agent         text,
  ip_address         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_sessions_user_idx ON user_sessions (tenant_id, user_id);
CREATE INDEX user_sessions_family_idx ON user_sessions (tenant_id, family_id);

-- ───────────────────────────── catalog ─────────────────────────────

CREATE TABLE suppliers (
  id            uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id     uuid REFERENCES tenants (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(btrim(name)) > 0),
  contact_name  text,
  contact_email text,
  phone         text,
  website       text,
  country       text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);

CREATE TABLE customers (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  account_number     text NOT NULL CHECK (length(btrim(account_number)) > 0),
  name               text NOT NULL CHECK (length(btrim(name)) > 0),
  email              text,
  phone              text,
  license_number     text,
  license_state      text CHECK (license_state ~ '^[A-Z]{2}$'),
  license_expires_on date,
  state              text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
  price_tier         text CHECK (price_tier ~ '^[a-z][a-z0-9_]*$'),
  payment_terms      text NOT NULL DEFAULT 'net_30'
                     CHECK (payment_terms IN ('prepaid', 'cod', 'net_15', 'net_30', 'net_60')),
  credit_limit       numeric(14, 2) CHECK (credit_limit >= 0),
  assigned_rep_id    uuid,
  billing_address    jsonb,
  shipping_address   jsonb,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'inactive')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, account_number),
  FOREIGN KEY (tenant_id, assigned_rep_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (assigned_rep_id)
);
CREATE INDEX customers_rep_idx ON customers (tenant_id, assigned_rep_id);
CREATE INDEX customers_status_idx ON customers (tenant_id, status);
CREATE INDEX customers_license_expiry_idx ON customers (tenant_id, license_expires_on);
CREATE INDEX customers_name_trgm_idx ON customers USING gin (name gin_trgm_ops);

CREATE TABLE products (
  id          uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  supplier_id uuid REFERENCES suppliers (id) ON DELETE SET NULL,
  name        text NOT NULL CHECK (length(btrim(name)) > 0),
  brand       text,
  category    text NOT NULL CHECK (category IN ('wine', 'spirits', 'beer', 'other')),
  varietal    text,
  vintage     integer CHECK (vintage BETWEEN 1800 AND 2200),
  region      text,
  country     text,
  abv         numeric(5, 2) CHECK (abv BETWEEN 0 AND 100),
  description text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'discontinued')),
  metadata    jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX products_supplier_idx ON products (supplier_id);
CREATE INDEX products_status_name_idx ON products (tenant_id, status, name);
CREATE INDEX products_category_idx ON products (tenant_id, category);
CREATE INDEX products_search_trgm_idx ON products
  USING gin ((name || ' ' || coalesce(brand, '') || ' ' || coalesce(varietal, '')) gin_trgm_ops);

CREATE TABLE skus (
  id             uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  product_id     uuid NOT NULL,
  code           text NOT NULL CHECK (length(btrim(code)) > 0),
  size_ml        integer NOT NULL CHECK (size_ml > 0),
  units_per_case integer NOT NULL DEFAULT 12 CHECK (units_per_case > 0),
  upc            text,
  base_price     numeric(12, 2) NOT NULL CHECK (base_price >= 0),
  unit_cost      numeric(12, 2) CHECK (unit_cost >= 0),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'discontinued')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX skus_product_idx ON skus (tenant_id, product_id);

CREATE TABLE inventory (
  id                  uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku_id              uuid NOT NULL,
  location            text NOT NULL DEFAULT 'main' CHECK (length(btrim(location)) > 0),
  on_hand             integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved            integer NOT NULL DEFAULT 0,
  low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, sku_id, location),
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT inventory_reserved_within_on_hand CHECK (reserved >= 0 AND reserved <= on_hand)
);

CREATE TABLE price_list_entries (
  id           uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  sku_id       uuid NOT NULL,
  price_tier   text CHECK (price_tier ~ '^[a-z][a-z0-9_]*$'),
  customer_id  uuid,
  unit_price   numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
  min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
  valid_from   timestamptz NOT NULL DEFAULT now(),
  valid_until  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  CHECK ((price_tier IS NULL) <> (customer_id IS NULL)),
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX price_list_entries_sku_idx ON price_list_entries (tenant_id, sku_id);
CREATE INDEX price_list_entries_customer_idx ON price_list_entries (tenant_id, customer_id);

-- ───────────────────────────── orders ─────────────────────────────

CREATE TABLE orders (
  id                       uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id                uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  order_number             text NOT NULL,
  customer_id              uuid NOT NULL,
  placed_by_user_id        uuid,
  placed_by_portal_user_id uuid,
  status                   text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'submitted', 'confirmed', 'fulfilled', 'delivered', 'cancelled')),
  subtotal                 numeric(14, 2) NOT NULL DEFAULT 0 CHECK (subtotal >= 0),
  tax_total                numeric(14, 2) NOT NULL DEFAULT 0 CHECK (tax_total >= 0),
  total                    numeric(14, 2) NOT NULL DEFAULT 0,
  currency                 text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  requested_delivery_date  date,
  idempotency_key          text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  notes                    text,
  submitted_at             timestamptz,
  confirmed_at             timestamptz,
  fulfilled_at             timestamptz,
  delivered_at             timestamptz,
  cancelled_at             timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, customer_id, id),
  UNIQUE (tenant_id, order_number),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, placed_by_user_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (placed_by_user_id),
  CHECK (total = subtotal + tax_total),
  CHECK (num_nonnulls(placed_by_user_id, placed_by_portal_user_id) <= 1)
);
CREATE INDEX orders_customer_created_idx ON orders (tenant_id, customer_id, created_at DESC);
CREATE INDEX orders_status_idx ON orders (tenant_id, status);
CREATE INDEX orders_created_idx ON orders (tenant_id, created_at DESC);
CREATE INDEX orders_placed_by_user_idx ON orders (tenant_id, placed_by_user_id);
CREATE INDEX orders_placed_by_portal_user_idx ON orders (tenant_id, customer_id, placed_by_portal_user_id);

CREATE TABLE order_lines (
  id                   uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id          uuid NOT NULL,
  order_id             uuid NOT NULL,
  line_number          integer NOT NULL CHECK (line_number >= 1),
  sku_id               uuid NOT NULL,
  quantity             integer NOT NULL CHECK (quantity > 0),
  unit_price           numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
  discount             numeric(12, 2) NOT NULL DEFAULT 0 CHECK (discount >= 0),
  line_total           numeric(14, 2) NOT NULL CHECK (line_total >= 0),
  tax_amount           numeric(14, 2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  pricing_rule         text NOT NULL CHECK (pricing_rule IN ('base_price', 'price_tier', 'customer_price', 'sample')),
  price_list_entry_id  uuid,
  is_sample            boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, order_id, line_number),
  FOREIGN KEY (tenant_id, customer_id, order_id) REFERENCES orders (tenant_id, customer_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
  FOREIGN KEY (tenant_id, price_list_entry_id) REFERENCES price_list_entries (tenant_id, id)
    ON DELETE SET NULL (price_list_entry_id)
);
CREATE INDEX order_lines_order_idx ON order_lines (tenant_id, customer_id, order_id);
CREATE INDEX order_lines_price_list_entry_idx ON order_lines (tenant_id, price_list_entry_id);
CREATE INDEX order_lines_sku_idx ON order_lines (tenant_id, sku_id);

CREATE TABLE invoices (
  id             uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id    uuid NOT NULL,
  order_id       uuid NOT NULL,
  invoice_number text NOT NULL,
  status         text NOT NULL DEFAULT 'issued'
                 CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'void')),
  issued_at      timestamptz NOT NULL DEFAULT now(),
  due_date       date NOT NULL,
  subtotal       numeric(14, 2) NOT NULL CHECK (subtotal >= 0),
  tax_total      numeric(14, 2) NOT NULL CHECK (tax_total >= 0),
  total          numeric(14, 2) NOT NULL,
  amount_paid    numeric(14, 2) NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  balance        numeric(14, 2) NOT NULL,
  paid_at        timestamptz,
  voided_at      timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, customer_id, id),
  UNIQUE (tenant_id, invoice_number),
  UNIQUE (tenant_id, order_id),
  FOREIGN KEY (tenant_id, customer_id, order_id) REFERENCES orders (tenant_id, customer_id, id),
  CHECK (total = subtotal + tax_total),
  CONSTRAINT invoices_no_overpayment CHECK (amount_paid <= total),
  CHECK (balance = total - amount_paid)
);
CREATE INDEX invoices_customer_idx ON invoices (tenant_id, customer_id, issued_at DESC);
CREATE INDEX invoices_order_idx ON invoices (tenant_id, customer_id, order_id);
CREATE INDEX invoices_status_due_idx ON invoices (tenant_id, status, due_date);

CREATE TABLE payments (
  id          uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  invoice_id  uuid NOT NULL,
  amount      numeric(14, 2) NOT NULL CHECK (amount > 0),
  method      text NOT NULL CHECK (method IN ('ach', 'check', 'credit_card', 'wire', 'cash', 'other')),
  reference   text,
  received_at timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL DEFAULT 'completed' CHECK (status IN ('pending', 'completed', 'failed', 'refunded')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, customer_id, invoice_id) REFERENCES invoices (tenant_id, customer_id, id)
);
CREATE INDEX payments_invoice_idx ON payments (tenant_id, customer_id, invoice_id);
CREATE INDEX payments_received_idx ON payments (tenant_id, received_at DESC);

-- ───────────────────────────── portal users (they belong to a customer) ─────────────────────────────

CREATE TABLE portal_users (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id        uuid NOT NULL,
  email              text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  password_hash      text NOT NULL,
  full_name          text NOT NULL CHECK (length(btrim(full_name)) > 0),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'disabled')),
  failed_login_count integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
  locked_until       timestamptz,
  last_login_at      timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, customer_id, id),
  UNIQUE (tenant_id, email),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_users_customer_idx ON portal_users (tenant_id, customer_id);

ALTER TABLE orders ADD FOREIGN KEY (tenant_id, customer_id, placed_by_portal_user_id)
  REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE SET NULL (placed_by_portal_user_id);

CREATE TABLE portal_user_roles (
  id             uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id    uuid NOT NULL,
  portal_user_id uuid NOT NULL,
  role_id        uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, portal_user_id, role_id),
  FOREIGN KEY (tenant_id, customer_id, portal_user_id) REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_user_roles_role_idx ON portal_user_roles (role_id);
CREATE INDEX portal_user_roles_user_idx ON portal_user_roles (tenant_id, customer_id, portal_user_id);

CREATE TABLE portal_sessions (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id        uuid NOT NULL,
  portal_user_id     uuid NOT NULL,
  family_id          uuid NOT NULL,
  refresh_token_hash text NOT NULL UNIQUE,
  expires_at         timestamptz NOT NULL,
  rotated_at         timestamptz,
  revoked_at         timestamptz,
  user_agent         text,
  ip_address         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, customer_id, portal_user_id) REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_sessions_user_idx ON portal_sessions (tenant_id, customer_id, portal_user_id);
CREATE INDEX portal_sessions_family_idx ON portal_sessions (tenant_id, family_id);

-- ───────────────────────────── carts and lists ─────────────────────────────

CREATE TABLE carts (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id        uuid NOT NULL,
  portal_user_id     uuid NOT NULL,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'converted', 'abandoned', 'expired')),
  expires_at         timestamptz NOT NULL,
  converted_order_id uuid,
  converted_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, customer_id, id),
  FOREIGN KEY (tenant_id, customer_id, portal_user_id) REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id, converted_order_id) REFERENCES orders (tenant_id, customer_id, id),
  CHECK ((status = 'converted') = (converted_order_id IS NOT NULL))
);
CREATE UNIQUE INDEX carts_one_active_per_portal_user ON carts (tenant_id, portal_user_id) WHERE status = 'active';
CREATE INDEX carts_portal_user_idx ON carts (tenant_id, customer_id, portal_user_id);
CREATE INDEX carts_converted_order_idx ON carts (tenant_id, customer_id, converted_order_id);

CREATE TABLE cart_items (
  id          uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  cart_id     uuid NOT NULL,
  sku_id      uuid NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, cart_id, sku_id),
  FOREIGN KEY (tenant_id, customer_id, cart_id) REFERENCES carts (tenant_id, customer_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX cart_items_cart_idx ON cart_items (tenant_id, customer_id, cart_id);
CREATE INDEX cart_items_sku_idx ON cart_items (tenant_id, sku_id);

CREATE TABLE lists (
  id                   uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id          uuid NOT NULL,
  owner_portal_user_id uuid,
  owner_user_id        uuid,
  name                 text NOT NULL CHECK (length(btrim(name)) > 0),
  kind                 text NOT NULL DEFAULT 'custom' CHECK (kind IN ('favorites', 'template', 'custom')),
  description          text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, customer_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id, owner_portal_user_id) REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, owner_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CHECK (num_nonnulls(owner_portal_user_id, owner_user_id) = 1)
);
CREATE INDEX lists_customer_idx ON lists (tenant_id, customer_id);
CREATE INDEX lists_owner_portal_user_idx ON lists (tenant_id, customer_id, owner_portal_user_id);
CREATE INDEX lists_owner_user_idx ON lists (tenant_id, owner_user_id);

CREATE TABLE list_items (
  id               uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id      uuid NOT NULL,
  list_id          uuid NOT NULL,
  sku_id           uuid NOT NULL,
  default_quantity integer NOT NULL DEFAULT 1 CHECK (default_quantity > 0),
  note             text,
  position         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, list_id, sku_id),
  FOREIGN KEY (tenant_id, customer_id, list_id) REFERENCES lists (tenant_id, customer_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX list_items_list_idx ON list_items (tenant_id, customer_id, list_id);
CREATE INDEX list_items_sku_idx ON list_items (tenant_id, sku_id);

-- ───────────────────────────── intelligence ─────────────────────────────

CREATE TABLE activities (
  id                     uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id              uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id                uuid NOT NULL,
  customer_id            uuid NOT NULL,
  kind                   text NOT NULL CHECK (kind IN ('visit', 'call', 'email', 'tasting', 'sample')),
  occurred_at            timestamptz NOT NULL,
  notes                  text,
  outcome                text,
  sample_sku_id          uuid,
  sample_quantity        integer CHECK (sample_quantity > 0),
  sample_approval_status text NOT NULL DEFAULT 'not_required'
                         CHECK (sample_approval_status IN ('not_required', 'pending', 'approved', 'rejected')),
  approved_by_user_id    uuid,
  approved_at            timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, sample_sku_id) REFERENCES skus (tenant_id, id),
  FOREIGN KEY (tenant_id, approved_by_user_id) REFERENCES users (tenant_id, id),
  CHECK ((kind = 'sample') = (sample_sku_id IS NOT NULL AND sample_quantity IS NOT NULL))
);
CREATE INDEX activities_user_occurred_idx ON activities (tenant_id, user_id, occurred_at DESC);
CREATE INDEX activities_customer_occurred_idx ON activities (tenant_id, customer_id, occurred_at DESC);
CREATE INDEX activities_sample_sku_idx ON activities (tenant_id, sample_sku_id);
CREATE INDEX activities_approved_by_idx ON activities (tenant_id, approved_by_user_id);

CREATE TABLE call_plans (
  id            uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id       uuid NOT NULL,
  customer_id   uuid NOT NULL,
  scheduled_for timestamptz NOT NULL,
  objective     text NOT NULL CHECK (length(btrim(objective)) > 0),
  status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'completed', 'cancelled', 'missed')),
  outcome       text,
  completed_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX call_plans_user_scheduled_idx ON call_plans (tenant_id, user_id, scheduled_for);
CREATE INDEX call_plans_customer_idx ON call_plans (tenant_id, customer_id);
CREATE INDEX call_plans_status_idx ON call_plans (tenant_id, status, scheduled_for);

CREATE TABLE tasks (
  id                 uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  assignee_user_id   uuid NOT NULL,
  created_by_user_id uuid,
  customer_id        uuid,
  title              text NOT NULL CHECK (length(btrim(title)) > 0),
  description        text,
  due_at             timestamptz,
  priority           text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'completed', 'cancelled')),
  completed_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, assignee_user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by_user_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_assignee_status_idx ON tasks (tenant_id, assignee_user_id, status, due_at);
CREATE INDEX tasks_created_by_idx ON tasks (tenant_id, created_by_user_id);
CREATE INDEX tasks_customer_idx ON tasks (tenant_id, customer_id);

CREATE TABLE account_health_snapshots (
  id                        uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id                 uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  customer_id               uuid NOT NULL,
  snapshot_date             date NOT NULL,
  period_days               integer NOT NULL CHECK (period_days > 0),
  revenue_current           numeric(14, 2) NOT NULL,
  revenue_previous          numeric(14, 2) NOT NULL,
  revenue_change_pct        numeric(9, 4),
  order_count               integer NOT NULL CHECK (order_count >= 0),
  days_since_last_order     integer CHECK (days_since_last_order >= 0),
  avg_reorder_interval_days numeric(9, 2),
  pace_status               text NOT NULL CHECK (pace_status IN ('on_track', 'at_risk', 'insufficient_data')),
  health_score              integer NOT NULL CHECK (health_score BETWEEN 0 AND 100),
  risk_flags                jsonb NOT NULL DEFAULT '[]',
  samples_used              integer NOT NULL DEFAULT 0 CHECK (samples_used >= 0),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, customer_id, snapshot_date),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX account_health_snapshots_date_idx ON account_health_snapshots (tenant_id, snapshot_date DESC);

CREATE TABLE sales_metrics (
  id           uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id      uuid,
  customer_id  uuid,
  metric       text NOT NULL CHECK (metric IN ('revenue', 'order_count', 'average_order_value', 'units')),
  period       text NOT NULL CHECK (period IN ('day', 'week', 'month')),
  period_start date NOT NULL,
  value        numeric(16, 4) NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, customer_id, metric, period, period_start),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sales_metrics_user_idx ON sales_metrics (tenant_id, user_id, period, period_start);
CREATE INDEX sales_metrics_customer_idx ON sales_metrics (tenant_id, customer_id, period, period_start);

-- A notification goes to exactly one recipient: an internal user or a portal user. customer_id is
-- the portal recipient's customer (NULL for internal recipients), so the portal policy scopes it
-- like any customer-owned row; the customer an internal notification is about lives in data.
CREATE TABLE notifications (
  id                       uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id                uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  recipient_user_id        uuid,
  recipient_portal_user_id uuid,
  customer_id              uuid,
  kind                     text NOT NULL CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)*$'),
  title                    text NOT NULL,
  body                     text NOT NULL DEFAULT '',
  priority                 text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  read_at                  timestamptz,
  data                     jsonb NOT NULL DEFAULT '{}',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, recipient_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id, recipient_portal_user_id) REFERENCES portal_users (tenant_id, customer_id, id) ON DELETE CASCADE,
  CHECK (num_nonnulls(recipient_user_id, recipient_portal_user_id) = 1),
  CHECK ((recipient_portal_user_id IS NULL) = (customer_id IS NULL))
);
CREATE INDEX notifications_user_idx ON notifications (tenant_id, recipient_user_id, created_at DESC);
CREATE INDEX notifications_portal_user_idx ON notifications (tenant_id, customer_id, recipient_portal_user_id, created_at DESC);

-- ───────────────────────────── compliance ─────────────────────────────

CREATE TABLE compliance_filings (
  id           uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  state        text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
  filing_type  text NOT NULL CHECK (length(btrim(filing_type)) > 0),
  period_start date NOT NULL,
  period_end   date NOT NULL,
  due_date     date NOT NULL,
  status       text NOT NULL DEFAULT 'upcoming'
               CHECK (status IN ('upcoming', 'due', 'submitted', 'accepted', 'rejected', 'overdue')),
  submitted_at timestamptz,
  reference    text,
  amount       numeric(14, 2) CHECK (amount >= 0),
  notes        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, state, filing_type, period_start),
  CHECK (period_end >= period_start)
);
CREATE INDEX compliance_filings_due_idx ON compliance_filings (tenant_id, status, due_date);

-- Effective-dated: two rates for one state and category never overlap (until is exclusive).
CREATE TABLE state_tax_rates (
  id               uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  state            text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
  product_category text NOT NULL CHECK (product_category IN ('wine', 'spirits', 'beer', 'other')),
  rate_kind        text NOT NULL CHECK (rate_kind IN ('per_gallon', 'percent')),
  rate             numeric(12, 6) NOT NULL CHECK (rate >= 0),
  effective_from   date NOT NULL,
  effective_until  date,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (effective_until IS NULL OR effective_until > effective_from),
  CONSTRAINT state_tax_rates_no_overlap EXCLUDE USING gist (
    tenant_id WITH =, state WITH =, product_category WITH =,
    daterange(effective_from, effective_until) WITH &&
  )
);

-- ───────────────────────────── integrations ─────────────────────────────

CREATE TABLE webhook_subscriptions (
  id                   uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url                  text NOT NULL CHECK (url ~ '^https?://'),
  description          text,
  event_types          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(event_types) = 'array'),
  secret_ciphertext    bytea NOT NULL,
  secret_key_id        text NOT NULL,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'disabled')),
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  last_success_at      timestamptz,
  last_failure_at      timestamptz,
  disabled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX webhook_subscriptions_status_idx ON webhook_subscriptions (tenant_id, status);

CREATE TABLE webhook_events (
  id            uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_type    text NOT NULL CHECK (event_type ~ '^[a-z_]+(\.[a-z_]+)+$'),
  payload       jsonb NOT NULL,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX webhook_events_occurred_idx ON webhook_events (tenant_id, occurred_at DESC);
CREATE INDEX webhook_events_undispatched_idx ON webhook_events (occurred_at) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  subscription_id  uuid NOT NULL,
  event_id         uuid NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, subscription_id, event_id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (tenant_id, event_id);
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (tenant_id, status, created_at DESC);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');

CREATE TABLE integration_tokens (
  id               uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider         text NOT NULL CHECK (provider ~ '^[a-z0-9_]+$'),
  token_ciphertext bytea NOT NULL,
  key_id           text NOT NULL,
  token_last4      text NOT NULL CHECK (length(token_last4) <= 4),
  scopes           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(scopes) = 'array'),
  expires_at       timestamptz,
  last_used_at     timestamptz,
  revoked_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integration_tokens_provider_idx ON integration_tokens (tenant_id, provider);
