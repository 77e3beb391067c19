import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  MAX_EXPIRY_DAYS,
  parseCouponExpiry,
  type CouponExpiry,
  type ExpiryProblem,
} from '../../engine/coupon-expiry';
import { localDate } from '../../engine/time';
import {
  COUPON_CODE,
  addCodes,
  createPool,
  generateCode,
  poolCounts,
} from '../../services/coupons/codes';
import { CliError, brandBySlug, withDatabase } from '../context';

/** `--expires`: the last day (YYYY-MM-DD, the brand's time zone) or days after issue (`30d`). */
function parseExpires(value: string, timeZone: string): CouponExpiry {
  const parsed = parseCouponExpiry(value, Date.now(), timeZone);
  if (parsed.ok) return parsed.expiry;
  throw expiresError(value, parsed.problem, timeZone);
}

function expiresError(value: string, problem: ExpiryProblem, timeZone: string): CliError {
  switch (problem) {
    case 'format':
      return new CliError(
        'E_INPUT',
        `--expires takes the last day a code is good, as YYYY-MM-DD (e.g. 2026-12-31), or a number of days after it is issued (e.g. 30d); got "${value}"`,
      );
    case 'past':
      return new CliError(
        'E_INPUT',
        `--expires ${value} is in the past (today is ${localDate(Date.now(), timeZone)} in ${timeZone}); give today or a later date, or a number of days such as 30d`,
      );
    case 'days':
      return new CliError(
        'E_INPUT',
        `--expires takes 1 to ${MAX_EXPIRY_DAYS} days after issue (e.g. 30d); got "${value}"`,
      );
  }
}

function describeExpiry(expiry: CouponExpiry | null, timeZone: string): string {
  if (!expiry) return 'codes never expire';
  return expiry.kind === 'date'
    ? `codes are good through ${expiry.date} (${timeZone})`
    : `each code is good through the ${expiry.days}${ordinal(expiry.days)} day after it is issued`;
}

const ordinal = (n: number) =>
  n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');

/** Codes from a CSV: the first column of each line; a header line is skipped. */
function readCodes(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('E_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.split(',')[0]!.trim().replace(/^"|"$/g, ''));
  const codes = lines.filter((l, i) => l !== '' && !(i === 0 && /^code$/i.test(l)));
  const bad = codes.findIndex((c) => !COUPON_CODE.test(c));
  if (bad >= 0) {
    throw new CliError(
      'E_INPUT',
      `${file}: "${codes[bad]}" is not a valid code (3–64 letters, digits, _ or -)`,
    );
  }
  if (codes.length === 0) throw new CliError('E_INPUT', `${file} holds no codes`);
  return codes;
}

export function register(program: Command): void {
  const pool = program.command('coupon-pool').description('coupon pools and their codes');
  pool
    .command('create')
    .description('create a pool with generated or imported codes')
    .requiredOption('--brand <slug>', 'the brand')
    .requiredOption('--name <pool>', 'pool name, e.g. cup-welcome')
    .option('--generate <n>', 'generate n random codes')
    .option('--codes-file <csv>', 'import codes from a CSV (first column)')
    .option(
      '--expires <date|Nd>',
      "when codes expire: their last day (YYYY-MM-DD, the brand's time zone) or days after issue, e.g. 30d",
    )
    .action(
      async (options: {
        brand: string;
        name: string;
        generate?: string;
        codesFile?: string;
        expires?: string;
      }) => {
        // The form is checked before the database is opened; "in the past" needs the brand's zone.
        if (options.expires !== undefined) {
          const early = parseCouponExpiry(options.expires, Date.now(), 'UTC');
          if (!early.ok && early.problem !== 'past')
            throw expiresError(options.expires, early.problem, 'UTC');
        }
        if (Boolean(options.generate) === Boolean(options.codesFile)) {
          throw new CliError('E_INPUT', 'give exactly one of --generate <n> or --codes-file <csv>');
        }
        const count = options.generate ? Number(options.generate) : 0;
        if (options.generate && (!Number.isInteger(count) || count < 1 || count > 1_000_000)) {
          throw new CliError('E_INPUT', '--generate takes a whole number from 1 to 1,000,000');
        }
        const imported = options.codesFile ? readCodes(options.codesFile) : null;
        await withDatabase(async ({ db }) => {
          const brand = await brandBySlug(db, options.brand);
          const expiry =
            options.expires !== undefined ? parseExpires(options.expires, brand.timezone) : null;
          const poolId = await createPool(db, brand.id, options.name, {
            expiry,
            timeZone: brand.timezone,
          });
          if (!poolId)
            throw new CliError(
              'E_EXISTS',
              `${brand.slug} already has a pool named "${options.name}"`,
            );
          const progress = (n: number) => process.stderr.write(`\r${n} codes stored…`);
          let added = 0;
          if (imported) {
            added = await addCodes(db, poolId, imported, progress);
          } else {
            // Random codes can collide: draw again until the pool has the number asked for.
            while (added < count) {
              const want = count - added;
              added += await addCodes(
                db,
                poolId,
                Array.from({ length: want }, () => generateCode()),
                (n) => progress(added + n),
              );
            }
          }
          process.stderr.write('\n');
          const counts = await poolCounts(db, poolId);
          console.log(
            `pool "${options.name}" created for ${brand.slug}: ${counts.available} codes available; ${describeExpiry(expiry, brand.timezone)}`,
          );
          if (imported && added < imported.length) {
            console.log(`${imported.length - added} duplicate codes in the file were skipped`);
          }
        });
      },
    );
}
