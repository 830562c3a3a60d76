-- Scheduled jobs (account health, overdue invoices) run for every active tenant, but the
-- application role sees no tenant row without a tenant set. Like tenant_id_for_slug, this narrow
-- SECURITY DEFINER function returns only ids; the jobs then work per tenant through with_tenant.
CREATE FUNCTION active_tenant_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT id FROM public.tenants WHERE status = 'active' ORDER BY id
$$;
REVOKE ALL ON FUNCTION active_tenant_ids() FROM PUBLIC;
