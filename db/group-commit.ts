/**
 * Group commit: short units of work that arrive together share one transaction, so a burst
 * of WeChat callbacks costs PostgreSQL one commit (one WAL flush) per batch instead of one per
 * callback — the commit rate, not the statements, is what caps a synchronous write path
 * (docs/architecture.md#the-path-of-a-wechat-callback, bench/README.md "ingest").
 *
 * - The units of a batch run at once on its connection (their statements pipelined), except
 *   that units of one key (one follower) run one after the other, in order of arrival. If one
 *   fails (a value PostgreSQL refuses), the batch is rolled back and run again one unit at a
 *   time, each in a savepoint: the failing unit is undone alone and rejects with its own
 *   error; the others are stored.
 * - A unit's promise settles only after its batch committed: an answer never promises what a
 *   rollback could take back. If the commit fails (the database went away), every unit of the
 *   batch rejects with that error and nothing of it is stored.
 * - No waiting for company: a unit starts a batch at once when fewer than `maxConcurrent`
 *   batches are in flight; otherwise it joins the next one, which starts as soon as one
 *   finishes. A quiet system commits each unit alone; a busy one batches by itself.
 * - Batches are bounded (`maxBatch` units) so that one stays well inside WeChat's 5 s.
 * - Units take their row locks in the order of their `key` (the follower), the same order in
 *   every batch, so concurrent batches do not deadlock on each other's followers; a batch that
 *   still meets a deadlock or serialization failure is run again (nothing of it was stored).
 */
import { isDatabaseUnavailable, sqlState, type Db } from './client';

/** A transaction (here: a unit's savepoint). */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface GroupCommitOptions {
  /** Most units in one transaction. */
  maxBatch: number;
  /** Most transactions in flight at once (each holds a pool connection). */
  maxConcurrent: number;
}

export const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = { maxBatch: 64, maxConcurrent: 3 };

interface Unit {
  key: string;
  work: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** SQLSTATEs after which a whole batch is simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;
/** Thrown inside a batch's transaction to roll it back when one of its units failed. */
const UNIT_FAILED = new Error('a unit of the batch failed');
type BatchOutcome = PromiseSettledResult<unknown>[];

export interface GroupCommit {
  /** Runs `work` in a shared transaction; resolves with its result once that committed. */
  run<T>(key: string, work: (tx: Tx) => Promise<T>): Promise<T>;
}

export function createGroupCommit(
  db: Db,
  options: GroupCommitOptions = GROUP_COMMIT_DEFAULTS,
): GroupCommit {
  let waiting: Unit[] = [];
  let inFlight = 0;

  const startNext = () => {
    while (inFlight < options.maxConcurrent && waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      void commitBatch(batch).finally(() => {
        inFlight--;
        startNext();
      });
    }
  };

  async function commitBatch(units: Unit[]): Promise<void> {
    units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let attempt = 1; ; attempt++) {
      let outcome: BatchOutcome;
      try {
        const together = await runTogether(units);
        // Some unit failed (and the rest of the batch with it): each in its own savepoint.
        outcome = together === 'unit-failed' ? await runOneByOne(units) : together;
      } catch (error) {
        const state = sqlState(error);
        if (state && RETRYABLE.has(state) && attempt < MAX_ATTEMPTS) continue;
        for (const unit of units) unit.reject(error);
        return;
      }
      units.forEach((unit, i) => {
        const settled = outcome[i]!;
        if (settled.status === 'fulfilled') unit.resolve(settled.value);
        else unit.reject(settled.reason);
      });
      return;
    }
  }

  /**
   * The usual case: every unit at once on the batch's connection — postgres.js pipelines
   * their statements, so a batch costs about as many round trips as one unit, plus one commit.
   * If any unit fails, the transaction is aborted for all: it is rolled back (nothing stored)
   * and the caller runs the batch one by one.
   */
  async function runTogether(units: Unit[]): Promise<BatchOutcome | 'unit-failed'> {
    try {
      return await db.transaction(async (tx) => {
        // Units of one key (one follower) run in their order of arrival, each seeing what the
        // one before it wrote; units of different keys run side by side.
        const settled: BatchOutcome = new Array(units.length);
        const chains = new Map<string, Promise<void>>();
        units.forEach((unit, i) => {
          const run = async () => {
            try {
              settled[i] = { status: 'fulfilled', value: await unit.work(tx) };
            } catch (reason) {
              settled[i] = { status: 'rejected', reason };
            }
          };
          chains.set(unit.key, (chains.get(unit.key) ?? Promise.resolve()).then(run));
        });
        await Promise.all(chains.values());
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed) {
          // The connection is gone or a deadlock: the batch fails (or runs again) as a whole.
          if (isDatabaseUnavailable(failed.reason) || RETRYABLE.has(sqlState(failed.reason) ?? ''))
            throw failed.reason;
          throw UNIT_FAILED;
        }
        return settled;
      });
    } catch (error) {
      if (error === UNIT_FAILED) return 'unit-failed';
      throw error;
    }
  }

  /** Each unit in a savepoint of one transaction: a failing unit is undone alone. */
  function runOneByOne(units: Unit[]): Promise<BatchOutcome> {
    return db.transaction(async (tx) => {
      const settled: BatchOutcome = [];
      for (const unit of units) {
        try {
          // A nested transaction is a savepoint.
          settled.push({ status: 'fulfilled', value: await tx.transaction((sp) => unit.work(sp)) });
        } catch (error) {
          if (isDatabaseUnavailable(error) || RETRYABLE.has(sqlState(error) ?? '')) throw error;
          settled.push({ status: 'rejected', reason: error });
        }
      }
      return settled;
    });
  }

  return {
    run<T>(key: string, work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          key,
          work,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        startNext();
      });
    },
  };
}

const perDb = new WeakMap<Db, GroupCommit>();

/** The process's group commit for `db` (one per database handle). */
export function groupCommitFor(db: Db): GroupCommit {
  let found = perDb.get(db);
  if (!found) perDb.set(db, (found = createGroupCommit(db)));
  return found;
}
