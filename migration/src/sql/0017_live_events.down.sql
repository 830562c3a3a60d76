DROP INDEX IF EXISTS webhook_events_live_idx;
DROP INDEX IF EXISTS notifications_created_idx;
DROP FUNCTION IF EXISTS live_events_since(timestamptz, integer);
DROP TRIGGER IF EXISTS notifications_live ON notifications;
DROP TRIGGER IF EXISTS webhook_events_live ON webhook_events;
DROP FUNCTION IF EXISTS notify_live_notification();
DROP FUNCTION IF EXISTS notify_live_webhook_event();
DROP FUNCTION IF EXISTS live_event_of_notification(notifications);
DROP FUNCTION IF EXISTS live_event_of_webhook_event(webhook_events);
