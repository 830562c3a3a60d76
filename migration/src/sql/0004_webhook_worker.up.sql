-- What the webhook delivery worker and the start-up key check need to see across tenants.
--
-- Both run without a tenant, so row-level security hides every row from them. These functions are
-- the narrow exception, like tenant_id_for_slug: SECURITY DEFINER (running as their owner, the
-- migration role, which is not subject to the policies), and they return only ids — never a row's
-- content. Everything else the worker does (fan-out, claiming with FOR UPDATE SKIP LOCKED, sending,
-- recording outcomes) runs per tenant through with_tenant as the application role, under RLS.
-- EXECUTE is revoked from PUBLIC and granted to the application role only (appended by the
-- migration, which knows the role's name).

-- Tenants with webhook work, the longest-waiting first: events not yet fanned out, or deliveries
-- due to an active subscription.
CREATE FUNCTION webhook_tenants_with_work(p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT work.tenant_id
  FROM (
    SELECT e.tenant_id, min(e.occurred_at) AS waiting_since
    FROM public.webhook_events e
    WHERE e.dispatched_at IS NULL
    GROUP BY e.tenant_id
    UNION ALL
    SELECT d.tenant_id, min(d.next_attempt_at)
    FROM public.webhook_deliveries d
    JOIN public.webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id
    WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= now() AND s.status = 'active'
    GROUP BY d.tenant_id
  ) AS work
  GROUP BY work.tenant_id
  ORDER BY min(work.waiting_since)
  LIMIT greatest(p_limit, 0)
$$;

-- One encrypted row per (key id, table), newest first, so the start-up check can try to decrypt
-- one sample under each key id in use (through with_tenant, as the application role) and refuse a
-- wrong or missing key before anything depends on it.
CREATE FUNCTION encryption_key_samples()
RETURNS TABLE (key_id text, source text, tenant_id uuid, row_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT ON (r.key_id, r.source) r.key_id, r.source, r.tenant_id, r.id
  FROM (
    SELECT s.secret_key_id AS key_id, 'webhook_subscriptions'::text AS source, s.tenant_id, s.id, s.created_at
    FROM public.webhook_subscriptions s
    UNION ALL
    SELECT t.key_id, 'integration_tokens'::text, t.tenant_id, t.id, t.created_at
    FROM public.integration_tokens t
  ) AS r
  ORDER BY r.key_id, r.source, r.created_at DESC
$$;

REVOKE ALL ON FUNCTION webhook_tenants_with_work(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION encryption_key_samples() FROM PUBLIC;
