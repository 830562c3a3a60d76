DROP FUNCTION IF EXISTS encryption_key_samples();
DROP FUNCTION IF EXISTS webhook_tenants_with_work(integer);
