/**
 * A brand's template-message templates (`message_templates`): read for the page, the editor and
 * publishing; replaced as a whole by a sync from WeChat (services/templates).
 */
import { asc, eq } from 'drizzle-orm';
import { keywordKind, type TemplateKeyword } from '../../engine/template-message';
import type { Db } from '../../db/client';
import { messageTemplates } from '../../db/schema';

type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** One template as WeChat lists it, keywords parsed. */
export interface SyncedTemplate {
  templateId: string;
  title: string;
  content: string;
  example: string;
  primaryIndustry: string;
  deputyIndustry: string;
  keywords: TemplateKeyword[];
}

/** A brand's stored template: WeChat's, plus our name for it and when it was synced. */
export interface MessageTemplateRow extends SyncedTemplate {
  id: string;
  name: string;
  syncedAt: Date | null;
}

const columns = {
  id: messageTemplates.id,
  name: messageTemplates.name,
  templateId: messageTemplates.wechatTemplateId,
  title: messageTemplates.title,
  content: messageTemplates.content,
  example: messageTemplates.example,
  primaryIndustry: messageTemplates.primaryIndustry,
  deputyIndustry: messageTemplates.deputyIndustry,
  keywords: messageTemplates.keywords,
  fields: messageTemplates.fields,
  syncedAt: messageTemplates.syncedAt,
};

/** The brand's templates by name. A row registered by hand has no keywords: its fields stand in. */
export async function listMessageTemplates(
  db: Executor,
  brandId: string,
): Promise<MessageTemplateRow[]> {
  const rows = await db
    .select(columns)
    .from(messageTemplates)
    .where(eq(messageTemplates.brandId, brandId))
    .orderBy(asc(messageTemplates.name));
  return rows.map(({ fields, ...r }) => ({
    ...r,
    title: r.title || r.name,
    keywords: r.keywords.length
      ? r.keywords
      : fields.map((key) => ({ key, kind: keywordKind(key), label: '' })),
  }));
}

/**
 * Names for a list of templates: the title, and where two share it, the title with the start
 * of the id — our names are unique per brand.
 */
export function templateNames(list: readonly { templateId: string; title: string }[]): string[] {
  const count = new Map<string, number>();
  for (const t of list) count.set(t.title, (count.get(t.title) ?? 0) + 1);
  return list.map((t) =>
    (count.get(t.title) ?? 0) > 1 ? `${t.title} (${t.templateId.slice(0, 8)})` : t.title,
  );
}

/**
 * Replaces the brand's templates with `list` (in a transaction the caller holds), keeping a
 * template's row — and its creation time — when WeChat still has it.
 */
export async function replaceMessageTemplates(
  tx: Executor,
  brandId: string,
  list: readonly SyncedTemplate[],
  syncedAt: Date,
): Promise<void> {
  const before = await tx
    .select({
      templateId: messageTemplates.wechatTemplateId,
      createdAt: messageTemplates.createdAt,
    })
    .from(messageTemplates)
    .where(eq(messageTemplates.brandId, brandId));
  const createdAt = new Map(before.map((r) => [r.templateId, r.createdAt]));
  await tx.delete(messageTemplates).where(eq(messageTemplates.brandId, brandId));
  if (list.length === 0) return;
  const names = templateNames(list);
  await tx.insert(messageTemplates).values(
    list.map((t, i) => ({
      brandId,
      name: names[i]!,
      wechatTemplateId: t.templateId,
      fields: t.keywords.map((k) => k.key),
      title: t.title,
      content: t.content,
      example: t.example,
      primaryIndustry: t.primaryIndustry,
      deputyIndustry: t.deputyIndustry,
      keywords: t.keywords,
      syncedAt,
      ...(createdAt.has(t.templateId) ? { createdAt: createdAt.get(t.templateId)! } : {}),
    })),
  );
}
