-- One WeChat callback as the callback route writes it (services/wechat/inbound.ts recordInbound:
-- the nonce claim with the follower's row, then the event with the follower's update), a
-- transaction per callback, so pgbench's tps over this script is what PostgreSQL on this machine
-- commits — the ceiling for ingest without group commit (bench/ingest.ts reports it as dbLimit).
-- :brand is set with -D as a quoted literal (pgbench substitutes variables as text).
\set n random(1, 2000000000)
BEGIN;
WITH nonce_ins AS (
  INSERT INTO callback_nonces (brand_id, nonce, query_timestamp, fingerprint)
  VALUES (:brand, 'pgb' || :client_id || '_' || :n, extract(epoch from now())::bigint, 'f')
  ON CONFLICT DO NOTHING
  RETURNING fingerprint
), claim AS (
  SELECT true AS inserted, fingerprint FROM nonce_ins
  UNION ALL
  SELECT false, fingerprint FROM callback_nonces
  WHERE brand_id = :brand AND nonce = 'pgb' || :client_id || '_' || :n
    AND query_timestamp = extract(epoch from now())::bigint
  LIMIT 1
), f AS (
  INSERT INTO followers (brand_id, openid)
  SELECT :brand, 'o_pgb_' || :client_id || '_' || :n
  WHERE EXISTS (SELECT 1 FROM claim WHERE inserted OR fingerprint = 'f')
  ON CONFLICT (brand_id, openid) DO UPDATE SET openid = excluded.openid
  RETURNING id::text AS id, first_subscribed_at IS NOT NULL AS ever_followed
)
SELECT c.inserted, c.fingerprint, f.id, f.ever_followed FROM claim c LEFT JOIN f ON true;
WITH e AS (
  INSERT INTO events (brand_id, follower_id, openid, type, name, dedupe_key, payload, occurred_at)
  SELECT :brand, id, openid, 'keyword', null, 'pgb' || :client_id || '_' || :n,
         '{"text":"hi","msgId":"1"}'::jsonb, now()
  FROM followers WHERE brand_id = :brand AND openid = 'o_pgb_' || :client_id || '_' || :n
  ON CONFLICT (brand_id, dedupe_key) DO NOTHING
  RETURNING id
), then_ AS (
  UPDATE followers SET updated_at = now(), last_interaction_at = greatest(last_interaction_at, now())
  WHERE brand_id = :brand AND openid = 'o_pgb_' || :client_id || '_' || :n
    AND EXISTS (SELECT 1 FROM e)
)
SELECT e.id::text AS id, false AS duplicate FROM e
UNION ALL
SELECT id::text, true FROM events
WHERE brand_id = :brand AND dedupe_key = 'pgb' || :client_id || '_' || :n
  AND NOT EXISTS (SELECT 1 FROM e);
END;
