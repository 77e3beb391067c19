/**
 * The audit page's data: one page of a brand's log (services/audit, always scoped to the
 * member's brand), the filters' choices, and each entry ready to be said in the reader's
 * language — the values its sentence needs, its time relative and absolute (in the brand's
 * zone, formatted here so the server and the browser render the same text).
 */
import { eq } from 'drizzle-orm';
import type { Language } from '~/i18n/config';
import { db, schema } from '~/lib/db.server';
import { formatDateTime, formatRelative } from '~/lib/format';
import { services } from '~/lib/services.server';
import {
  AUDIT_ACTIONS,
  isAuditAction,
  OPERATOR_FILTER,
  type AuditAction,
} from '../../services/audit';
import { actorLabel, OPERATOR } from '../../services/deps';

/** The detail fields a sentence may name (never anything else a row's details hold). */
const SENTENCE_FIELDS = {
  flow: 'flowName',
  version: 'version',
  name: 'name',
  email: 'email',
  role: 'role',
  scene: 'scene',
} as const;
const MAX_VALUE_CHARS = 200;

export interface AuditRow {
  id: string;
  /** A known action (its sentence is translated), or null for one this version does not know. */
  action: AuditAction | null;
  rawAction: string;
  /** Null: the operator's CLI (the page says so in the reader's language). */
  actorName: string | null;
  values: Record<keyof typeof SENTENCE_FIELDS, string> & { menus: string[] };
  iso: string;
  at: string;
  relative: string;
}

function values(details: Record<string, unknown>): AuditRow['values'] {
  const text = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number'
      ? String(value).slice(0, MAX_VALUE_CHARS)
      : '';
  const out = Object.fromEntries(
    Object.entries(SENTENCE_FIELDS).map(([key, field]) => [key, text(details[field])]),
  ) as Record<keyof typeof SENTENCE_FIELDS, string>;
  const menus = Array.isArray(details.menus) ? details.menus.map(text).filter(Boolean) : [];
  return { ...out, menus };
}

export async function loadAuditPage(
  brand: { id: string; slug: string; name: string },
  url: URL,
  lang: Language,
) {
  const params = url.searchParams;
  const action = params.get('action');
  const actor = params.get('actor');
  const before = params.get('before');
  const [page, actors, [zone]] = await Promise.all([
    services.audit.listBrand(brand.id, { action, actor, before }),
    services.audit.brandActors(brand.id),
    db
      .select({ timezone: schema.brands.timezone })
      .from(schema.brands)
      .where(eq(schema.brands.id, brand.id)),
  ]);
  const timezone = zone?.timezone ?? 'Asia/Shanghai';
  const now = new Date();
  const operator = actorLabel(OPERATOR);
  const entries: AuditRow[] = page.entries.map((e) => ({
    id: e.id,
    action: isAuditAction(e.action) ? e.action : null,
    rawAction: e.action,
    actorName: e.actorUserId === null && e.actorLabel === operator ? null : e.actorName,
    values: values(e.details),
    iso: e.at.toISOString(),
    at: formatDateTime(e.at, lang, timezone),
    relative: formatRelative(e.at, now, lang),
  }));
  return {
    brand: { slug: brand.slug, name: brand.name },
    filters: {
      action: isAuditAction(action) ? action : '',
      actor: actors.some((a) => a.id === actor) ? (actor ?? '') : '',
      paged: Boolean(before),
    },
    actions: AUDIT_ACTIONS,
    actors: actors.map((a) => ({ id: a.id, name: a.id === OPERATOR_FILTER ? null : a.name })),
    entries,
    nextBefore: page.nextBefore,
  };
}
