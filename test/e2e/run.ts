/**
 * `npm run test:e2e`: starts the whole stack (`cli/dev.ts`) on free ports with its own data
 * directory, waits for "fanfare ready <url>", runs every test/e2e/*.e2e.ts against that url
 * with node's test runner, stops the stack and exits with the test runner's code.
 * The stack's output goes to test/e2e/dev.log; its tail is printed when something fails.
 * Tests get BASE_URL and the stack's environment (DATA_DIR, ports), so the CLI and
 * test/e2e/support/db.ts reach the same embedded database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { exited, fanfare, root, stackEnv, startStack, stopStack } from './stack';

const here = join(root, 'test/e2e');
const LOG_FILE = join(here, 'dev.log');

function printLogTail(lines = 80): void {
  try {
    const all = readFileSync(LOG_FILE, 'utf8').trimEnd().split('\n');
    // Page reloads and dependency re-optimisation by the dev server explain many browser flakes.
    const reloads = all.filter((l) => /optimi[sz]ed|reloading|page reload|hmr/i.test(l)).slice(-20);
    if (reloads.length > 0) console.error(`\n--- dev server reloads ---\n${reloads.join('\n')}`);
    const tail = all.slice(-lines);
    console.error(
      `\n--- last ${tail.length} lines of ${relative(root, LOG_FILE)} ---\n${tail.join('\n')}\n---`,
    );
  } catch {
    console.error(`(no ${relative(root, LOG_FILE)})`);
  }
}

let current: ChildProcess | undefined;

/** A session of the e2e owner (a member of the brand's organization), as a Cookie header. */
async function ownerCookie(dataDir: string): Promise<string> {
  process.env.DATA_DIR = dataDir;
  const { E2E_OWNER, ensureUser } = await import('./support/auth');
  const { closeTestDb, testDb } = await import('./support/db');
  const { createServices } = await import('../../services');
  const { createRequestAuth } = await import('../../app/lib/request-auth.server');
  try {
    await ensureUser(E2E_OWNER.email, E2E_OWNER.password, 'owner');
    const services = createServices({ db: testDb().db });
    const user = await services.users.byEmail(E2E_OWNER.email);
    const session = await services.sessions.create(user!.id);
    const auth = createRequestAuth({ services, production: false, trustedProxyHops: 0 });
    return (await auth.sessionCookieHeader(session)).split(';')[0]!;
  } finally {
    await closeTestDb();
  }
}

const PERSIST_SLUG = 'e2e-persist';
const PERSIST_NAME = '持久猫咖 Persist Café';

async function main(): Promise<number> {
  const dataDir = `.data/e2e-${Date.now()}`;
  const { env, fallbackUrl, web } = await stackEnv(dataDir);
  const log = createWriteStream(LOG_FILE);
  console.log(
    `starting the stack (web on port ${web}); its output goes to ${relative(root, LOG_FILE)}`,
  );

  const interrupt = () =>
    void (current ? stopStack(current) : Promise.resolve()).then(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const track = (child: ChildProcess) => (current = child);

  let code = 1;
  try {
    let stack = await startStack(env, log, fallbackUrl, track);
    // Data made while the stack runs (through the CLI, on the same embedded Postgres)…
    const created = await fanfare(env, [
      'brand',
      'create',
      '--slug',
      PERSIST_SLUG,
      '--name',
      PERSIST_NAME,
      '--app-id',
      'wx0123456789abcdef',
      '--app-secret',
      '0123456789abcdef0123',
      '--token',
      'e2etoken',
    ]);
    if (created !== 0) throw new Error('fanfare brand create failed while the stack was running');

    const only = process.env.E2E_ONLY;
    const files = readdirSync(here)
      .filter((name) => name.endsWith('.e2e.ts') && (!only || name.includes(only)))
      .sort()
      .map((name) => relative(root, join(here, name)));
    const runner = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
      {
        cwd: root,
        // WECHAT_SANDBOX_URL: tests register brands with the stack's WeChat sandbox.
        env: {
          ...env,
          BASE_URL: stack.baseUrl,
          WECHAT_SANDBOX_URL: `http://127.0.0.1:${env.WECHAT_SANDBOX_PORT}`,
        },
        stdio: 'inherit',
      },
    );
    code = await exited(runner);

    // …is still there after a full stop and start.
    await stopStack(stack.child);
    stack = await startStack(env, log, fallbackUrl, track);
    const page = await fetch(`${stack.baseUrl}/brands/${PERSIST_SLUG}`, {
      headers: { 'accept-language': 'en', cookie: await ownerCookie(dataDir) },
    });
    const html = await page.text();
    if (page.status === 200 && html.includes(PERSIST_NAME)) {
      console.log('persistence: ok — the brand created before the restart is served after it');
    } else {
      console.error(
        `persistence: FAILED — GET /brands/${PERSIST_SLUG} answered ${page.status} without the brand`,
      );
      code = 1;
    }
  } catch (error) {
    console.error((error as Error).message);
    code = 1;
  } finally {
    if (current) await stopStack(current);
    await new Promise((done) => log.end(done));
    rmSync(join(root, dataDir), { recursive: true, force: true });
  }
  if (code !== 0) printLogTail();
  return code;
}

process.exit(await main());
