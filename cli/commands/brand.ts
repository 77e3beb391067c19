import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { FrequencyCap, isTimezone } from '../../engine/schema/document';
import { secretKey } from '../../config/env';
import {
  AES_KEY,
  APP_ID,
  APP_SECRET,
  BRAND_SLUG,
  CALLBACK_TOKEN,
} from '../../services/brands/account';
import { brands } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, OPERATOR } from '../../services';
import { SandboxControl } from '../../wechat/sandbox/control';
import { CliError, withDatabase } from '../context';
import { readDevStack } from '../dev-stack';

async function isSandbox(base: string): Promise<boolean> {
  try {
    const response = await fetch(`${base.replace(/\/+$/, '')}/__sandbox/health`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** `3/1d` → at most 3 pushes per follower per day, across all flows; `none` → no cap. */
const FrequencyCapFlag = z.string().transform((text, ctx) => {
  if (text === 'none') return null;
  const m = /^(\d+)\/(.+)$/.exec(text);
  const parsed = m ? FrequencyCap.safeParse({ max: Number(m[1]), per: m[2] }) : null;
  if (!parsed?.success) {
    ctx.addIssue({
      code: 'custom',
      message: 'write <max>/<duration>, e.g. 3/1d (at most 3 pushes a day), or none',
    });
    return z.NEVER;
  }
  return parsed.data;
});

const BrandInput = z.object({
  slug: z.string().regex(BRAND_SLUG, 'lowercase letters, digits and dashes, 2–40 characters'),
  name: z.string().trim().min(1).max(100),
  appId: z.string().regex(APP_ID, 'a WeChat AppId looks like wx followed by 16 characters'),
  appSecret: z.string().regex(APP_SECRET, '16–64 characters without spaces'),
  token: z.string().regex(CALLBACK_TOKEN, 'WeChat allows 3–32 letters and digits'),
  aesKey: z
    .string()
    .regex(AES_KEY, 'an EncodingAESKey is 43 characters of A–Z, a–z, 0–9')
    .optional(),
  apiBase: z.string().url().optional(),
  mode: z.enum(['plaintext', 'compatible', 'safe']).optional(),
  timezone: z.string().refine(isTimezone, 'not an IANA time zone').default('Asia/Shanghai'),
  originalId: z
    .string()
    .regex(/^gh_[0-9a-f]{12}$/, 'an original id looks like gh_ and 12 hex digits')
    .optional(),
  frequencyCap: FrequencyCapFlag.optional(),
});

/** Zod's first issue as a CLI error naming the flag. */
function inputError(error: z.ZodError): CliError {
  const issue = error.issues[0]!;
  return new CliError(
    'E_INPUT',
    `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`,
  );
}

export function register(program: Command): void {
  const brand = program.command('brand').description('WeChat Official Accounts (brands)');
  brand
    .command('create')
    .description('register an Official Account; secrets are stored encrypted')
    .requiredOption('--slug <slug>', 'short name used in URLs, e.g. cat-cafe')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--app-id <id>', 'AppId (wx…)')
    .requiredOption('--app-secret <secret>', 'AppSecret')
    .requiredOption('--token <token>', 'the callback Token set on the WeChat console')
    .option('--aes-key <key>', 'EncodingAESKey (43 characters) for compatible/safe mode')
    .option(
      '--mode <mode>',
      'callback encryption: plaintext | compatible | safe (default: safe with --aes-key)',
    )
    .option('--api-base <url>', 'WeChat API base for this brand (e.g. the sandbox)')
    .option('--timezone <tz>', 'IANA time zone of the brand', 'Asia/Shanghai')
    .option('--original-id <gh>', 'original id of the account (gh_…)')
    .option(
      '--frequency-cap <max/per>',
      'brand-wide cap on pushes per follower across all flows, e.g. 3/1d',
    )
    .option(
      '--org <name>',
      'the owning organization (slug or name); default: the only one there is',
    )
    .action(async (raw: Record<string, string | undefined>) => {
      const { org, ...fields } = raw;
      const parsed = BrandInput.safeParse(fields);
      if (!parsed.success) throw inputError(parsed.error);
      const input = parsed.data;
      const mode = input.mode ?? (input.aesKey ? 'safe' : 'plaintext');
      if (mode !== 'plaintext' && !input.aesKey) {
        throw new CliError('E_INPUT', `--mode ${mode} needs --aes-key (the EncodingAESKey)`);
      }
      await withDatabase(async ({ db }, env) => {
        const box = new SecretBox(secretKey(env));
        const services = createServices({ db });
        // No organization yet (before first-run setup): the first one adopts the brand.
        const organization = await services.members.organizationForNewBrand(org);
        const [row] = await db
          .insert(brands)
          .values({
            organizationId: organization?.id ?? null,
            slug: input.slug,
            name: input.name,
            appId: input.appId,
            originalId: input.originalId,
            appSecretEnc: box.seal(input.appSecret),
            callbackTokenEnc: box.seal(input.token),
            aesKeyEnc: input.aesKey ? box.seal(input.aesKey) : null,
            callbackMode: mode,
            apiBase: input.apiBase,
            timezone: input.timezone,
            frequencyCap: input.frequencyCap ?? null,
          })
          .onConflictDoNothing({ target: brands.slug })
          .returning({ id: brands.id, slug: brands.slug });
        if (!row)
          throw new CliError('E_EXISTS', `a brand with slug "${input.slug}" already exists`);
        console.log(`brand ${row.slug} created (id ${row.id})`);
        await services.audit.record({
          actor: OPERATOR,
          action: 'brand.created',
          organizationId: organization?.id ?? null,
          brandId: row.id,
          target: { type: 'brand', id: row.id },
          details: { slug: row.slug },
        });
        console.log(
          organization
            ? `in organization "${organization.name}" (${organization.slug})`
            : 'in no organization yet: first-run setup (/setup, or fanfare user create --org) adopts it',
        );
        // In development, the built-in WeChat sandbox must know the account too.
        const stack = readDevStack(env.DATA_DIR);
        const sandboxBase = input.apiBase ?? (stack?.sandbox ? stack.wechatApiBase : null);
        const callbackUrl = stack ? `${stack.webUrl}/wechat/${row.slug}` : null;
        if (sandboxBase && (await isSandbox(sandboxBase))) {
          await new SandboxControl(sandboxBase).registerAccount({
            appId: input.appId,
            secret: input.appSecret,
            token: input.token,
            mode,
            ...(input.aesKey ? { aesKey: input.aesKey } : {}),
            ...(input.originalId ? { originalId: input.originalId } : {}),
            ...(callbackUrl ? { callbackUrl } : {}),
          });
          console.log(`registered in the WeChat sandbox at ${sandboxBase}`);
        }
        console.log(`WeChat callback URL: ${callbackUrl ?? `<your host>/wechat/${row.slug}`}`);
      });
    });

  brand
    .command('set')
    .description("change a brand's settings")
    .requiredOption('--slug <slug>', 'the brand')
    .option(
      '--frequency-cap <max/per>',
      'brand-wide cap on pushes per follower across all flows, e.g. 3/1d; none removes it',
    )
    .option('--timezone <tz>', 'IANA time zone of the brand')
    .action(async (raw: Record<string, string | undefined>) => {
      const parsed = BrandInput.pick({ slug: true, frequencyCap: true })
        .extend({ timezone: BrandInput.shape.timezone.unwrap().optional() })
        .safeParse(raw);
      if (!parsed.success) throw inputError(parsed.error);
      const { slug, frequencyCap, timezone } = parsed.data;
      if (frequencyCap === undefined && timezone === undefined)
        throw new CliError('E_INPUT', 'nothing to change: give --frequency-cap or --timezone');
      await withDatabase(async ({ db }) => {
        const [row] = await db
          .update(brands)
          .set({
            ...(frequencyCap !== undefined ? { frequencyCap } : {}),
            ...(timezone !== undefined ? { timezone } : {}),
            updatedAt: new Date(),
          })
          .where(eq(brands.slug, slug))
          .returning({
            slug: brands.slug,
            frequencyCap: brands.frequencyCap,
            timezone: brands.timezone,
          });
        if (!row) throw new CliError('E_NOT_FOUND', `no brand with slug "${slug}"`);
        const cap = row.frequencyCap ? `${row.frequencyCap.max}/${row.frequencyCap.per}` : 'none';
        console.log(`brand ${row.slug}: frequency cap ${cap}, time zone ${row.timezone}`);
      });
    });

  brand
    .command('list')
    .description('list brands')
    .option('--json', 'one JSON line')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const rows = await db
          .select({
            slug: brands.slug,
            name: brands.name,
            appId: brands.appId,
            timezone: brands.timezone,
          })
          .from(brands)
          .orderBy(brands.slug);
        if (options.json) console.log(JSON.stringify(rows));
        else if (rows.length === 0) console.log('no brands yet');
        else for (const r of rows) console.log(`${r.slug}\t${r.name}\t${r.appId}\t${r.timezone}`);
      });
    });
}
