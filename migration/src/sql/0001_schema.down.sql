DROP TABLE IF EXISTS
  integration_tokens, webhook_deliveries, webhook_events, webhook_subscriptions,
  state_tax_rates, compliance_filings, notifications, sales_metrics, account_health_snapshots,
  tasks, call_plans, activities, list_items, lists, cart_items, carts, portal_sessions,
  portal_user_roles, payments, invoices, order_lines, orders, portal_users, price_list_entries,
  inventory, skus, products, customers, suppliers, user_sessions, user_roles, role_permissions,
  roles, permissions, users, tenant_settings, tenants
CASCADE;
DROP FUNCTION IF EXISTS tenant_id_for_slug(text), set_updated_at(), get_current_customer_id(),
  get_current_tenant_id(), uuid_generate_v7();
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS btree_gist;
