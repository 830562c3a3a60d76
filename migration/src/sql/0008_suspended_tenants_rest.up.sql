-- A suspended or cancelled tenant's webhooks stop going out: the worker finds work only among
-- active tenants. Nothing is dropped: the events and due deliveries wait, and go out when the
-- tenant is active again. (CREATE OR REPLACE keeps the function's owner and grants.)
CREATE OR REPLACE FUNCTION webhook_tenants_with_work(p_limit integer) RETURNS SETOF uuid
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
  JOIN public.tenants t ON t.id = work.tenant_id AND t.status = 'active'
  GROUP BY work.tenant_id
  ORDER BY min(work.waiting_since)
  LIMIT greatest(p_limit, 0)
$$;
