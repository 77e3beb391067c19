-- One WeChat callback as the callback route writes it (db/callback-nonces.ts claimNonce,
-- db/wechat-inbound.ts applyInbound, db/events.ts recordEvent): a transaction per callback, so
-- pgbench's tps over this script is what PostgreSQL on this machine commits — the ceiling for
-- ingest without group commit (bench/ingest.ts reports it as dbLimit). :brand is set with -D as a
-- quoted literal (pgbench substitutes variables as text).
\set n random(1, 2000000000)
BEGIN;
INSERT INTO callback_nonces (brand_id, nonce, query_timestamp, fingerprint)
  VALUES (:brand, 'pgb' || :client_id || '_' || :n, extract(epoch from now())::bigint, 'f')
  ON CONFLICT DO NOTHING;
INSERT INTO followers (brand_id, openid) VALUES (:brand, 'o_pgb_' || :client_id || '_' || :n)
  ON CONFLICT (brand_id, openid) DO UPDATE SET openid = excluded.openid
  RETURNING id, first_subscribed_at;
INSERT INTO events (brand_id, follower_id, openid, type, name, dedupe_key, payload, occurred_at)
  SELECT :brand, id, openid, 'message', null, 'pgb' || :client_id || '_' || :n,
         '{"kind":"text","content":"hi"}'::jsonb, now()
  FROM followers WHERE brand_id = :brand AND openid = 'o_pgb_' || :client_id || '_' || :n
  ON CONFLICT (brand_id, dedupe_key) DO NOTHING;
UPDATE followers SET updated_at = now(), last_interaction_at = now()
  WHERE brand_id = :brand AND openid = 'o_pgb_' || :client_id || '_' || :n;
END;
