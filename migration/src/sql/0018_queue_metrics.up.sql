-- /metrics reports how far the webhook worker is behind across every tenant. Like the other
-- SECURITY DEFINER functions it returns no row's content, only four numbers for the whole
-- database: deliveries waiting for an attempt (pending, or failed and due for a retry) and how
-- long the oldest has waited, and events not yet fanned out into deliveries and the age of the
-- oldest (the outbox lag).
CREATE FUNCTION webhook_queue_stats(
  OUT waiting_deliveries bigint,
  OUT oldest_waiting_seconds double precision,
  OUT undispatched_events bigint,
  OUT oldest_undispatched_seconds double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT d.waiting, coalesce(extract(epoch FROM now() - d.oldest), 0)::double precision,
         e.undispatched, coalesce(extract(epoch FROM now() - e.oldest), 0)::double precision
    FROM (SELECT count(*) AS waiting, min(created_at) AS oldest
            FROM public.webhook_deliveries WHERE status IN ('pending', 'failed')) d,
         (SELECT count(*) AS undispatched, min(occurred_at) AS oldest
            FROM public.webhook_events WHERE dispatched_at IS NULL) e
$$;
REVOKE ALL ON FUNCTION webhook_queue_stats() FROM PUBLIC;
