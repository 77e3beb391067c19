/**
 * Brand settings from the web form: the time zone and the brand-wide frequency cap are stored
 * when valid; a refused form names the field and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrandSettingsForm } from '../../services/brands/settings-form';
import { loadBrandSettings, saveBrandSettings } from '../../services/brands/settings';
import { connect, type DbHandle } from '../../db/client';
import { SecretBox } from '../../services/secrets';
import { insertBrand, type TestBrand } from '../support/brands';
import { OPERATOR } from '../../services/deps';

let handle: DbHandle;
let brand: TestBrand;
let other: TestBrand;

const form = (over: Partial<BrandSettingsForm> = {}): BrandSettingsForm => ({
  timezone: 'Asia/Shanghai',
  capEnabled: 'on',
  capMax: '3',
  capEvery: '1',
  capUnit: 'd',
  ...over,
});

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 2 });
  const box = new SecretBox(randomBytes(32).toString('hex'));
  brand = await insertBrand(handle.db, box, { prefix: 'settings' });
  other = await insertBrand(handle.db, box, { prefix: 'settings-other' });
});
afterAll(() => handle?.close());

describe('brand settings', () => {
  it('stores the time zone and the cap, and removes the cap when it is switched off', async () => {
    expect(await loadBrandSettings(handle.db, brand.id)).toEqual({
      timezone: 'Asia/Shanghai',
      frequencyCap: null,
    });
    const saved = await saveBrandSettings(
      handle.db,
      brand.id,
      form({ timezone: 'Asia/Tokyo', capMax: '2', capEvery: '12', capUnit: 'h' }),
      OPERATOR,
    );
    expect(saved.ok).toBe(true);
    expect(await loadBrandSettings(handle.db, brand.id)).toEqual({
      timezone: 'Asia/Tokyo',
      frequencyCap: { max: 2, per: '12h' },
    });
    // Another brand is untouched.
    expect((await loadBrandSettings(handle.db, other.id)).frequencyCap).toBeNull();

    await saveBrandSettings(
      handle.db,
      brand.id,
      form({ timezone: 'Asia/Tokyo', capEnabled: '' }),
      OPERATOR,
    );
    expect((await loadBrandSettings(handle.db, brand.id)).frequencyCap).toBeNull();
  });

  it('refuses a bad zone, cap or period with the field named, storing nothing', async () => {
    await saveBrandSettings(handle.db, brand.id, form(), OPERATOR);
    const before = await loadBrandSettings(handle.db, brand.id);
    const cases: [Partial<BrandSettingsForm>, string, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone_invalid', 'timezone'],
      [{ timezone: '' }, 'timezone_invalid', 'timezone'],
      [{ capMax: '0' }, 'cap_max_invalid', 'capMax'],
      [{ capMax: '2.5' }, 'cap_max_invalid', 'capMax'],
      [{ capMax: '1001' }, 'cap_max_invalid', 'capMax'],
      [{ capEvery: '0' }, 'cap_per_invalid', 'capEvery'],
      [{ capUnit: 'y' }, 'cap_per_invalid', 'capEvery'],
    ];
    for (const [over, code, field] of cases) {
      const result = await saveBrandSettings(handle.db, brand.id, form(over), OPERATOR);
      expect(result, JSON.stringify(over)).toEqual({
        ok: false,
        problems: [expect.objectContaining({ code, field })],
      });
    }
    expect(await loadBrandSettings(handle.db, brand.id)).toEqual(before);
  });
});
