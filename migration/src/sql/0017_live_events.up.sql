-- Live events for GraphQL subscriptions: every outbox event (`webhook_events`), every
-- notification and every new or changed webhook delivery is announced on the channel `leora_events` with a small JSON of ids (never a row's
-- content, which each subscriber reads under its own tenant and principal). NOTIFY is delivered
-- only when the inserting transaction commits, and not at all when it rolls back, so a subscriber
-- never hears of a change that was not kept. A payload stays far below NOTIFY's 8,000 bytes: ids,
-- a type and an instant.

-- What is announced of an outbox event: its tenant, id, type, instant and the ids a subscription
-- filters on (the order, the customer, the SKU), taken from the payload's top-level fields, which a
-- capped payload keeps (`events::cap_payload`).
CREATE FUNCTION live_event_of_webhook_event(e webhook_events) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'tenantId', e.tenant_id, 'id', e.id, 'type', e.event_type, 'at', e.occurred_at,
    'orderId', e.payload ->> 'orderId', 'customerId', e.payload ->> 'customerId',
    'skuId', e.payload ->> 'skuId'))
$$;

-- What is announced of a notification: its recipient, member of staff or portal user.
CREATE FUNCTION live_event_of_notification(n notifications) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'tenantId', n.tenant_id, 'id', n.id, 'type', 'notification', 'at', n.created_at,
    'userId', n.recipient_user_id, 'portalUserId', n.recipient_portal_user_id,
    'customerId', n.customer_id))
$$;

-- What is announced of a webhook delivery, at each change: its webhook subscription and event.
CREATE FUNCTION live_event_of_webhook_delivery(d webhook_deliveries) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
  SELECT jsonb_build_object(
    'tenantId', d.tenant_id, 'id', d.id, 'type', 'webhook_delivery', 'at', d.updated_at,
    'webhookSubscriptionId', d.subscription_id, 'eventId', d.event_id)
$$;

CREATE FUNCTION notify_live_webhook_event() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_notify('leora_events', live_event_of_webhook_event(NEW)::text);
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_live_notification() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_notify('leora_events', live_event_of_notification(NEW)::text);
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_live_webhook_delivery() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_notify('leora_events', live_event_of_webhook_delivery(NEW)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER webhook_events_live AFTER INSERT ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION notify_live_webhook_event();
CREATE TRIGGER notifications_live AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notify_live_notification();
-- A delivery changes as the worker attempts it (status, attempts, the last answer); its
-- `updated_at` (set before the row is written) is the instant announced.
CREATE TRIGGER webhook_deliveries_live AFTER INSERT OR UPDATE ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION notify_live_webhook_delivery();

-- What a server instance missed while its listening connection was down: the announcements of
-- the events, notifications and delivery changes since `p_since` (a delivery as it is now), oldest first, across tenants. The listener has no
-- tenant, so, like webhook_tenants_with_work, this is SECURITY DEFINER (running as the migration
-- role, which the policies do not restrict) and returns only what NOTIFY would have carried.
CREATE FUNCTION live_events_since(p_since timestamptz, p_limit integer) RETURNS SETOF jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT missed.event
  FROM (
    SELECT e.occurred_at AS at, e.id, live_event_of_webhook_event(e) AS event
    FROM public.webhook_events e
    WHERE e.occurred_at >= p_since
    UNION ALL
    SELECT n.created_at, n.id, live_event_of_notification(n)
    FROM public.notifications n
    WHERE n.created_at >= p_since
    UNION ALL
    SELECT d.updated_at, d.id, live_event_of_webhook_delivery(d)
    FROM public.webhook_deliveries d
    WHERE d.updated_at >= p_since
  ) AS missed
  ORDER BY missed.at, missed.id
  LIMIT greatest(p_limit, 0)
$$;

REVOKE ALL ON FUNCTION live_events_since(timestamptz, integer) FROM PUBLIC;
-- The tables' own indexes lead with the tenant; a catch-up reads by instant across tenants.
CREATE INDEX notifications_created_idx ON notifications (created_at);
CREATE INDEX webhook_events_live_idx ON webhook_events (occurred_at);
CREATE INDEX webhook_deliveries_updated_idx ON webhook_deliveries (updated_at);
