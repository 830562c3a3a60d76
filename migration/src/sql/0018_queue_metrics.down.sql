DROP FUNCTION webhook_queue_stats();
