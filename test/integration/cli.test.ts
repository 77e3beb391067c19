import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const secretKey = randomBytes(32).toString('hex');
/**
 * A database of this file's own: `brand create` without --org needs an installation with at
 * most one organization, which the shared database stops being once other files sign people in.
 */
let database: TestDatabase;

function fanfare(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      FANFARE_SECRET_KEY: secretKey,
      ...env,
    },
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const brandArgs = (slug: string) => [
  'brand',
  'create',
  '--slug',
  slug,
  '--name',
  '猫咖 Cat Café',
  '--app-id',
  'wx1234567890abcdef',
  '--app-secret',
  'secret-0123456789abcdef',
  '--token',
  'cafetoken',
  '--aes-key',
  'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
];

describe('fanfare CLI against a real Postgres', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    database = await ownDatabase();
    handle = connect(database.url, { max: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('db migrate is idempotent', () => {
    const run = fanfare(['db', 'migrate']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('migrations applied (DATABASE_URL)');
  });

  it('brand create stores the account with its secrets encrypted', async () => {
    const run = fanfare(brandArgs('cat-cafe'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/wechat/cat-cafe');
    const [row] = await handle.db.select().from(brands).where(eq(brands.slug, 'cat-cafe'));
    expect(row?.name).toBe('猫咖 Cat Café');
    expect(row?.appSecretEnc).not.toContain('secret-0123456789abcdef');
    const box = new SecretBox(secretKey);
    expect(box.open(row!.appSecretEnc)).toBe('secret-0123456789abcdef');
    expect(box.open(row!.callbackTokenEnc)).toBe('cafetoken');
    expect(box.open(row!.aesKeyEnc!)).toBe('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');

    const list = fanfare(['brand', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ slug: 'cat-cafe', timezone: 'Asia/Shanghai' }),
    );
  });

  it('refuses a duplicate slug and bad input with a code, changing nothing', async () => {
    const before = await handle.db.select().from(brands);
    const duplicate = fanfare(brandArgs('cat-cafe'));
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('error E_EXISTS');

    const badAppId = fanfare([...brandArgs('other'), '--app-id', 'nope']);
    expect(badAppId.code).toBe(1);
    expect(badAppId.stderr).toMatch(/error E_INPUT: --app-id: /);

    const badKey = fanfare([...brandArgs('other'), '--aes-key', 'short']);
    expect(badKey.stderr).toMatch(/error E_INPUT: --aes-key: /);
    expect(await handle.db.select().from(brands)).toEqual(before);
  });

  it('brand set changes the brand-wide frequency cap, refusing a bad one', async () => {
    const capOf = async () =>
      (await handle.db.select().from(brands).where(eq(brands.slug, 'cat-cafe')))[0]?.frequencyCap;
    expect(await capOf()).toBeNull();
    const set = fanfare(['brand', 'set', '--slug', 'cat-cafe', '--frequency-cap', '3/1d']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('frequency cap 3/1d');
    expect(await capOf()).toEqual({ max: 3, per: '1d' });

    for (const bad of ['3', '0/1d', '3/tomorrow']) {
      const run = fanfare(['brand', 'set', '--slug', 'cat-cafe', '--frequency-cap', bad]);
      expect(run.code, bad).toBe(1);
      expect(run.stderr, bad).toMatch(/error E_INPUT: --frequency-cap: /);
    }
    expect(fanfare(['brand', 'set', '--slug', 'nobody', '--frequency-cap', '1/1d']).stderr).toMatch(
      /error E_NOT_FOUND/,
    );
    expect(await capOf()).toEqual({ max: 3, per: '1d' });

    expect(fanfare(['brand', 'set', '--slug', 'cat-cafe', '--frequency-cap', 'none']).code).toBe(0);
    expect(await capOf()).toBeNull();
  });

  it('names the variable when the environment is wrong', () => {
    const run = fanfare(['db', 'migrate'], { DATABASE_URL: 'not a url' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL');
  });
});
