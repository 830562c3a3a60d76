DROP FUNCTION IF EXISTS active_tenant_ids();
