/**
 * `npm run bench -- ingest` (docs/quality.md: ratio ≥ 0.25, p99 < 100 ms, zero events lost).
 *
 * Ours: signed WeChat callbacks (subscribe with a QR scene, SCAN, text — every one a new
 * event) fired by autocannon at the real callback route (`handleWechatCallback`: verify →
 * parse → follower + event in one transaction → `success`) over node:http, backed by a fresh
 * PostgreSQL database. Afterwards every push answered 2xx must be a row of `events`.
 * Baseline, same run, same load (connections, duration, requests): a bare node:http server
 * that reads the body and answers `success`.
 *
 * The load generator runs in a child process (bench/load/cannon.ts); each side gets a short
 * warm-up first. Nothing else runs meanwhile: no dispatcher, no Temporal (ingest must not
 * depend on them).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../config/logger';
import type { CannonConfig, CannonOutput } from './load/cannon';
import type { BenchResult } from './run';
import {
  DB_POOL_MAX,
  benchDatabase,
  benchDbHandle,
  createBrand,
  log,
  newSecretBox,
  round,
  serveCallbacks,
  serveRaw,
  withCleanup,
  type Cleanup,
} from './support';
import { SHORT, knob } from './knobs';

const CONNECTIONS = Number(process.env.BENCH_INGEST_CONNECTIONS ?? 20);
const DURATION_SEC = knob('BENCH_INGEST_SECONDS', 10, 2);
/** The web process's pool (DB_POOL_MAX, default 10). */
const DB_POOL = Number(process.env.BENCH_INGEST_DB_POOL ?? DB_POOL_MAX);
const WARMUP_SEC = SHORT ? 1 : 2;
/** Distinct pushes per run: far more than ours answers in DURATION_SEC on this machine. */
const POOL = 60_000;
const TARGET = { ratio: 0.25, p99Ms: 100 };

const cannonPath = fileURLToPath(new URL('./load/cannon.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
let runSeq = 0;

/** One autocannon run in a child process; killed if it overruns. */
async function fire(
  cleanup: Cleanup,
  args: Omit<CannonConfig, 'tag' | 'msgIdBase' | 'out' | 'pool' | 'connections'> & {
    pool?: number;
  },
): Promise<CannonOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'fanfare-bench-ingest-'));
  cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const seq = ++runSeq;
  const config: CannonConfig = {
    ...args,
    connections: CONNECTIONS,
    pool: args.pool ?? POOL,
    tag: `r${Date.now().toString(36)}${seq}`,
    msgIdBase: String(BigInt(Date.now()) * 10_000_000n + BigInt(seq) * 1_000_000n),
    out: join(dir, 'out.json'),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', cannonPath], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_CANNON: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), (args.durationSec + 90) * 1000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`load generator exited with ${code}`);
  } finally {
    clearTimeout(limit);
  }
  return JSON.parse(readFileSync(config.out, 'utf8')) as CannonOutput;
}

/**
 * What PostgreSQL on this machine commits when each callback is its own transaction: pgbench
 * running the callback's statements (bench/load/callback.pgbench.sql) from as many clients as
 * the web process has pool connections, for the same duration. Null when pgbench is missing.
 */
function commitLimit(url: string, brandId: string): { tps: number; clients: number } | null {
  const script = fileURLToPath(new URL('./load/callback.pgbench.sql', import.meta.url));
  const run = spawnSync(
    'pgbench',
    [
      '-n',
      '-c',
      String(DB_POOL),
      '-j',
      '2',
      '-T',
      String(Math.max(1, Math.round(DURATION_SEC))),
      '-D',
      `brand='${brandId}'`,
      '-f',
      script,
      url,
    ],
    { encoding: 'utf8', timeout: (DURATION_SEC + 60) * 1000 },
  );
  const tps = /tps = ([0-9.]+)/.exec(run.stdout ?? '')?.[1];
  if (run.status !== 0 || !tps) {
    log(
      `pgbench did not run (${run.error?.message ?? run.stderr?.trim() ?? run.status}): no commit limit`,
    );
    return null;
  }
  return { tps: round(Number(tps), 1), clients: DB_POOL };
}

const summary = (o: CannonOutput) => ({
  eventsPerSec: round(o.eventsPerSec, 1),
  p50Ms: o.latency.p50,
  p90Ms: o.latency.p90,
  p99Ms: o.latency.p99,
  maxMs: o.latency.max,
  answered2xx: o.answered2xx,
  non2xx: o.non2xx,
  errors: o.errors,
  timeouts: o.timeouts,
  seconds: o.durationSec,
});

export default function bench(): Promise<BenchResult> {
  return withCleanup(5 * 60_000, async (cleanup) => {
    const url = await benchDatabase(cleanup);
    const handle = benchDbHandle(cleanup, url, DB_POOL);
    const box = newSecretBox();
    const brand = await createBrand(handle.db, box, { apiBase: 'http://127.0.0.1:9' });
    const logger = createLogger('bench', 'silent');

    const bare = await serveRaw(
      (req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('success');
        });
      },
      cleanup,
      'bare http server',
    );
    const app = await serveCallbacks({ db: handle.db, box, logger }, cleanup);
    const path = `/wechat/${brand.slug}`;
    const target = { token: brand.token, appId: brand.appId, path, keys: false };

    log(`baseline: bare node:http, ${CONNECTIONS} connections, ${DURATION_SEC} s`);
    await fire(cleanup, { ...target, url: bare.url, durationSec: WARMUP_SEC, pool: 5_000 });
    const baseline = await fire(cleanup, { ...target, url: bare.url, durationSec: DURATION_SEC });
    await bare.close();

    log(`ours: callback route + PostgreSQL, ${CONNECTIONS} connections, ${DURATION_SEC} s`);
    await fire(cleanup, { ...target, url: app.url, durationSec: WARMUP_SEC, pool: 5_000 });
    // The web side's CPU per callback (this process serves the route; the load is a child).
    const cpuBefore = process.cpuUsage();
    const ours = await fire(cleanup, {
      ...target,
      url: app.url,
      durationSec: DURATION_SEC,
      keys: true,
    });
    const cpu = process.cpuUsage(cpuBefore);
    await app.close();

    // Zero lost: every push answered 2xx is a stored event (by its dedupe key).
    const keys = ours.keys ?? [];
    const [check] = await handle.sql<{ missing: number; stored: number }[]>`
      select
        (select count(*)::int from unnest(${handle.sql.array(keys)}::text[]) as k(key)
          where not exists (
            select 1 from events e where e.brand_id = ${brand.id} and e.dedupe_key = k.key)
        ) as missing,
        (select count(distinct dedupe_key)::int from events where brand_id = ${brand.id}) as stored`;
    const lost = check?.missing ?? keys.length;
    log(`commit limit: pgbench, the callback's statements, ${DB_POOL} clients, ${DURATION_SEC} s`);
    const limit = commitLimit(url, brand.id);
    const ratio = ours.eventsPerSec / baseline.eventsPerSec;
    if (ours.poolWrapped) log('warning: the push pool wrapped: some pushes were repeats');

    return {
      scenario: 'ingest',
      n: ours.answered2xx,
      ours: {
        ...summary(ours),
        distinctAnswered: keys.length,
        lost,
        storedEvents: check?.stored ?? 0,
        poolWrapped: ours.poolWrapped ? 1 : 0,
        connections: CONNECTIONS,
        dbPool: DB_POOL,
        webCpuMsPerEvent: round((cpu.user + cpu.system) / 1000 / Math.max(1, ours.sent), 3),
        // PostgreSQL's commit rate with one transaction per callback, and ours as a share of it.
        ...(limit
          ? { dbLimitTps: limit.tps, ofDbLimit: round(ours.eventsPerSec / limit.tps, 3) }
          : {}),
      },
      baseline: summary(baseline),
      ratio: round(ratio, 3),
      unit: 'events/s',
      target: `ratio ≥ ${TARGET.ratio}, p99 < ${TARGET.p99Ms} ms, zero lost`,
      pass:
        ratio >= TARGET.ratio &&
        ours.latency.p99 < TARGET.p99Ms &&
        lost === 0 &&
        keys.length === ours.answered2xx &&
        ours.answered2xx > 0,
    };
  });
}
