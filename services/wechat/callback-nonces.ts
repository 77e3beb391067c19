/**
 * The replay guard of the WeChat callback: a push's signature covers only token, timestamp and
 * nonce — never a plaintext body — so within the freshness window a captured signature could
 * carry any body. Each accepted push claims its (brand, nonce, timestamp) with the fingerprint
 * of its message, in the transaction that records it, so every web process agrees:
 *
 * - `new`: first use — go on;
 * - `same`: WeChat's retry of that very push — go on (the event's dedupe key absorbs it);
 * - `replay`: the nonce was used for a different message — refuse, store nothing.
 *
 * Claims outlive the freshness window by a margin and are then pruned (`pruneNonces`).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Tx } from '../events/outbox';
import { callbackNonces } from '../../db/schema';

export interface NonceClaim {
  brandId: string;
  nonce: string;
  /** The signed `timestamp` query parameter, unix seconds. */
  timestamp: number;
  /** Identifies the message the signature came with (a hash of its XML). */
  fingerprint: string;
}

export type NonceOutcome = 'new' | 'same' | 'replay';

/**
 * The claim as common table expressions, for a statement that does more with it: `claim` has
 * one row (inserted, fingerprint), or none when a concurrent push committed the same claim
 * after the statement's snapshot was taken (the insert waited for it) — run it again.
 */
export function nonceClaimCtes(claim: NonceClaim): SQL {
  return sql`
    nonce_ins as (
      insert into ${callbackNonces} (brand_id, nonce, query_timestamp, fingerprint)
      values (${claim.brandId}, ${claim.nonce}, ${claim.timestamp}, ${claim.fingerprint})
      on conflict do nothing
      returning fingerprint
    ),
    claim as (
      select true as inserted, fingerprint from nonce_ins
      union all
      select false, fingerprint from ${callbackNonces}
      where brand_id = ${claim.brandId} and nonce = ${claim.nonce}
        and query_timestamp = ${claim.timestamp}
      limit 1
    )`;
}

/** What a row of `claim` (nonceClaimCtes) means; none: only a prune racing the claim, not a provable replay. */
export function nonceOutcome(
  row: { inserted: boolean; fingerprint: string } | undefined,
  claim: NonceClaim,
): NonceOutcome {
  if (!row) return 'new';
  return row.inserted ? 'new' : row.fingerprint === claim.fingerprint ? 'same' : 'replay';
}

export async function claimNonce(tx: Tx, claim: NonceClaim): Promise<NonceOutcome> {
  // One round trip on the hot path: insert, or read the claim that was already there.
  for (let attempt = 0; attempt < 2; attempt++) {
    const [row] = await tx.execute<{ inserted: boolean; fingerprint: string }>(
      sql`with ${nonceClaimCtes(claim)} select inserted, fingerprint from claim`,
    );
    if (row) return nonceOutcome(row, claim);
  }
  return nonceOutcome(undefined, claim);
}

export async function pruneNonces(db: Db, beforeSeconds: number): Promise<number> {
  const result = await db.execute(
    sql`delete from ${callbackNonces} where query_timestamp < ${Math.floor(beforeSeconds)}`,
  );
  return (result as unknown as { count?: number }).count ?? 0;
}
