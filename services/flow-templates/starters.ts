/**
 * The starter templates shipped with Fanfare (./starters/<name>.<lang>.json), each in zh-CN
 * and en: cup/packaging QR coupon, golden 48 hours, birthday gift, keyword to coupon. Each is
 * a `fanfare.flow/v1` document whose brand resources are parameters with defaults; a test
 * checks each validates with no issue against a brand that has those resources. Each ships a
 * simulation scenario too (./starters/scenarios/<name>.<lang>.json, engine/simulate): a test
 * runs it, and a marketer can start from it in the Simulate panel.
 * `fanfare template starters --org <name>` adds them to an organization's library.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STARTERS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'starters');
export const STARTER_NAMES = [
  'cup-qr-coupon',
  'golden-48-hours',
  'birthday-gift',
  'keyword-coupon',
] as const;
export type StarterLang = 'zh-CN' | 'en';

export interface Starter {
  name: string;
  lang: StarterLang;
  file: string;
  document: unknown;
  /** The scenario shipped with it (engine/simulate/scenario.ts), unparsed. */
  scenario: unknown;
}

/** Every starter file, or those of one language. */
export function starterTemplates(lang?: StarterLang): Starter[] {
  return readdirSync(STARTERS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const m = /^(.+)\.(zh-CN|en)\.json$/.exec(file);
      if (!m) throw new Error(`starter template ${file} is not named <name>.<zh-CN|en>.json`);
      return {
        name: m[1]!,
        lang: m[2] as StarterLang,
        file: join(STARTERS_DIR, file),
        document: JSON.parse(readFileSync(join(STARTERS_DIR, file), 'utf8')) as unknown,
        scenario: JSON.parse(
          readFileSync(join(STARTERS_DIR, 'scenarios', file), 'utf8'),
        ) as unknown,
      };
    })
    .filter((s) => !lang || s.lang === lang);
}
