/**
 * With the whole stack running (npm run dev, started by run.ts): the CLI creates a brand and a
 * coupon pool and imports + publishes a flow; a follow through a store QR code, posted by the
 * WeChat sandbox to /wechat/<slug>, runs it — the fan gets one message with a coupon code.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SandboxControl } from '../../wechat/sandbox/control';

const sandboxUrl = process.env.WECHAT_SANDBOX_URL;

function fanfare(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: process.env,
  });
  assert.equal(run.status, 0, `fanfare ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test(
  'the CLI sets up a brand, a pool and a live flow that a sandbox callback runs',
  { skip: !sandboxUrl && 'WECHAT_SANDBOX_URL not set (run through npm run test:e2e)' },
  async () => {
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    const appId = `wx${randomBytes(8).toString('hex')}`;
    const created = fanfare(
      'brand',
      'create',
      '--slug',
      slug,
      '--name',
      '门店 Store',
      '--app-id',
      appId,
      '--app-secret',
      randomBytes(16).toString('hex'),
      '--token',
      'storetoken',
    );
    assert.match(created, /registered in the WeChat sandbox/);
    assert.match(
      fanfare(
        'coupon-pool',
        'create',
        '--brand',
        slug,
        '--name',
        'store-welcome',
        '--generate',
        '20',
      ),
      /20 codes available/,
    );
    assert.match(
      fanfare(
        'flow',
        'import',
        'test/e2e/fixtures/store-qr-welcome.json',
        '--brand',
        slug,
        '--publish',
      ),
      /published as version 1/,
    );

    const control = new SandboxControl(sandboxUrl!);
    const follow = await control.follow(appId, 'o_store_fan', { scene: 'store-0042' });
    assert.equal(follow.delivered, true);
    assert.equal(follow.attempts.at(-1)?.body, 'success');

    const sent = await until('the welcome message', async () => {
      const messages = await control.sentMessages(appId, 'o_store_fan');
      return messages.length > 0 ? messages : undefined;
    });
    assert.equal(sent.length, 1);
    const text = (sent[0]!.body.text as { content: string }).content;
    assert.match(text, /^欢迎光临！券码 [2-9A-Z]{10}$/);
    const fan = await control.follower(appId, 'o_store_fan');
    const tagNames = (await control.account(appId)).tags
      .filter((t) => fan.tags.includes(t.id))
      .map((t) => t.name);
    assert.deepEqual(tagNames, ['store_fan']);
  },
);
