/**
 * Message templates (template messages, docs/wechat.md#template-messages): `sync` reads the
 * Official Account's private templates from WeChat (`template/get_all_private_template`) and
 * makes them the brand's list — title, content, example, industries and the keywords the
 * content names — reporting what was added and removed; `list` reads them. Editors and above;
 * the CLI's `fanfare wechat sync` runs `sync` as the operator. "Templates" alone are flow
 * templates: these are always "message templates" (模板消息).
 */
import {
  listMessageTemplates,
  replaceMessageTemplates,
  type MessageTemplateRow,
  type SyncedTemplate,
} from './store';
import type { SecretBox } from '../secrets';
import { parseTemplateContent } from '../../engine/template-message';
import { openBrandWechat } from '../wechat/clients';
import type { PrivateTemplate } from '../../wechat/api-types';
import { WechatError } from '../../wechat/errors';
import type { AuditService } from '../audit';
import { createBrandAccess } from '../brands/access';
import { clockOf, type Actor, type ServiceDeps } from '../deps';
import { ServiceError } from '../errors';
import type { MembershipsService } from '../members/memberships';

export type { MessageTemplateRow } from './store';

/** Where a brand's templates are read from: WeChat, through the brand's credentials. */
export type TemplateSource = (brandId: string) => Promise<PrivateTemplate[]>;

export interface SyncReport {
  brandSlug: string;
  /** Every template now stored, by name. */
  templates: MessageTemplateRow[];
  added: { templateId: string; title: string }[];
  removed: { templateId: string; title: string }[];
  /** Templates WeChat still has, whose title, content or keywords changed. */
  changed: { templateId: string; title: string }[];
}

/** WeChat's answer → what we store (the keywords parsed from the content). */
export function fromWechat(t: PrivateTemplate): SyncedTemplate {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    templateId: t.template_id,
    title: text(t.title).trim() || t.template_id,
    content: text(t.content),
    example: text(t.example),
    primaryIndustry: text(t.primary_industry),
    deputyIndustry: text(t.deputy_industry),
    keywords: parseTemplateContent(text(t.content)),
  };
}

/** Reads the templates with the brand's stored credentials and token (as the worker does). */
export function wechatTemplateSource(deps: {
  db: ServiceDeps['db'];
  box: SecretBox;
  apiBase?: string;
  fetch?: typeof fetch;
}): TemplateSource {
  return async (brandId) => {
    const opened = await openBrandWechat(deps, brandId);
    if (!opened)
      throw new ServiceError(
        'brand_not_connected',
        'the brand has no WeChat credentials yet (set them on its connection page)',
        'brand',
      );
    return opened.client.getAllPrivateTemplates();
  };
}

export function createMessageTemplates(
  deps: ServiceDeps & {
    audit: AuditService;
    memberships: MembershipsService;
    /** Tests may read templates from elsewhere; by default WeChat, with the brand's credentials. */
    source?: TemplateSource;
  },
) {
  const now = clockOf(deps);
  const brandFor = createBrandAccess(deps);
  const source = (): TemplateSource => {
    if (deps.source) return deps.source;
    if (!deps.box) throw new Error('syncing message templates needs the SecretBox (deps.box)');
    return wechatTemplateSource({
      db: deps.db,
      box: deps.box,
      ...(deps.wechatApiBase ? { apiBase: deps.wechatApiBase } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  };

  return {
    /** The brand's message templates, by name. Viewers and above. */
    async list(actor: Actor, slug: string): Promise<MessageTemplateRow[]> {
      const brand = await brandFor(actor, slug, 'brand.read');
      return listMessageTemplates(deps.db, brand.id);
    },

    /**
     * Replaces the brand's templates with the account's (a template gone from WeChat is gone
     * here too), audited as `message_templates.synced`. WeChat refusing is `wechat_refused`
     * (its errcode in the values), not reaching it `wechat_unreachable`; nothing changes then.
     */
    async sync(actor: Actor, slug: string): Promise<SyncReport> {
      const brand = await brandFor(actor, slug, 'resources.manage');
      let list: PrivateTemplate[];
      try {
        list = await source()(brand.id);
      } catch (error) {
        if (!(error instanceof WechatError)) throw error;
        if (error.kind === 'api' && error.errcode !== null)
          throw new ServiceError(
            'wechat_refused',
            `WeChat refused to list the templates: errcode ${error.errcode} (${error.errmsg || 'no message'})`,
            undefined,
            { errcode: error.errcode, errmsg: error.errmsg || '—' },
          );
        throw new ServiceError(
          'wechat_unreachable',
          `WeChat could not be reached (${error.errmsg || error.kind}); nothing was changed`,
          undefined,
          { detail: error.errmsg || error.kind },
        );
      }
      const incoming = dedupe(list.map(fromWechat));
      const before = await listMessageTemplates(deps.db, brand.id);
      const old = new Map(before.map((t) => [t.templateId, t]));
      const fresh = new Set(incoming.map((t) => t.templateId));
      const brief = (t: { templateId: string; title: string }) => ({
        templateId: t.templateId,
        title: t.title,
      });
      const added = incoming.filter((t) => !old.has(t.templateId)).map(brief);
      const removed = before.filter((t) => !fresh.has(t.templateId)).map(brief);
      const changed = incoming
        .filter((t) => {
          const o = old.get(t.templateId);
          return o && (o.title !== t.title || o.content !== t.content);
        })
        .map(brief);
      await deps.db.transaction(async (tx) => {
        await replaceMessageTemplates(tx, brand.id, incoming, now());
        await deps.audit.record(
          {
            actor,
            action: 'message_templates.synced',
            organizationId: brand.organizationId,
            brandId: brand.id,
            details: {
              count: incoming.length,
              added: added.map((t) => t.title),
              removed: removed.map((t) => t.title),
            },
          },
          tx,
        );
      });
      return {
        brandSlug: brand.slug,
        templates: await listMessageTemplates(deps.db, brand.id),
        added,
        removed,
        changed,
      };
    },
  };
}

/** WeChat lists each id once; should it not, the first wins. */
function dedupe(list: SyncedTemplate[]): SyncedTemplate[] {
  const seen = new Set<string>();
  return list.filter((t) => !seen.has(t.templateId) && seen.add(t.templateId));
}

export type MessageTemplatesService = ReturnType<typeof createMessageTemplates>;
