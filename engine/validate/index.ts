/**
 * `validate(doc, brand?) → Issue[]`: every problem in a flow document, with stable codes.
 * Never throws: the editor calls it on every keystroke and the server on untrusted input.
 */
import { issue, type Issue } from '../issues';
import { fieldPathLabel } from '../labels';
import { FlowDraft, type FlowDraft as FlowDraftType } from '../schema/document';
import { checkGraph } from './graph';
import { buildModel, type GraphModel } from './model';
import { checkCouponExpiry } from './coupon-expiry';
import { checkPlaceholders } from './placeholders';
import { checkResources, type BrandContext } from './resources';
import { checkTemplateMessages } from './template-messages';
import { checkWebhooks } from './webhooks';
import { describeZodIssue, fieldSentence } from './zod-issues';
import { storableIssue } from './storable-issues';
import { isStorableIssue } from '../schema/storable';
import { ValidationCache } from './incremental';

export type { BrandContext, BrandTemplate } from './resources';

/** What the deployment decides, not the brand. */
export interface ValidateOptions {
  /**
   * The operator's WEBHOOK_ALLOW_HOSTS: webhook hosts and networks allowed although inside a
   * private network. Without it, every such webhook is refused.
   */
  webhookAllowList?: readonly string[];
}

export function validate(
  doc: unknown,
  brand?: BrandContext,
  options: ValidateOptions = {},
  /** Per-node memos kept between calls (see createIncrementalValidator). */
  cache?: ValidationCache,
): Issue[] {
  try {
    if (cache) return validateWith(cache, doc, brand, options);
    return analyse(doc, brand, options).issues;
  } catch (error) {
    // A bug of ours must not take the editor down; report it as an unreadable document.
    return [
      issue('E_FORMAT', {
        en: `The flow could not be checked (${error instanceof Error ? error.message : 'internal error'}).`,
        'zh-CN': '无法检查该流程（内部错误）。',
      }),
    ];
  }
}

/** Validation plus the model it built (compile reuses it rather than re-deriving the graph). */
export function analyse(
  doc: unknown,
  brand?: BrandContext,
  options: ValidateOptions = {},
): { issues: Issue[]; model: GraphModel | null } {
  return analyseWith(undefined, doc, brand, options, null);
}

/**
 * `validate` with the editor's memos: the parse and the answer come from `cache` when the
 * document allows it (./incremental.ts), otherwise the full path runs.
 */
function validateWith(
  cache: ValidationCache,
  doc: unknown,
  brand: BrandContext | undefined,
  options: ValidateOptions,
): Issue[] {
  const parsed = cache.parse(doc);
  if (!parsed) return analyseWith(cache, doc, brand, options, null).issues;
  return cache.issuesOf(
    parsed,
    [brand, options.webhookAllowList],
    () => analyseWith(cache, doc, brand, options, parsed).issues,
  );
}

function analyseWith(
  cache: ValidationCache | undefined,
  doc: unknown,
  brand: BrandContext | undefined,
  options: ValidateOptions,
  /** The document as parsed already (by the cache), or null to parse it here. */
  preparsed: FlowDraftType | null,
): { issues: Issue[]; model: GraphModel | null } {
  const issues: Issue[] = [];
  const parsed = preparsed ? { success: true as const, data: preparsed } : FlowDraft.safeParse(doc);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const detail = describeZodIssue(iss, 'document');
      const path = iss.path as (string | number)[];
      if (isStorableIssue(iss)) {
        issues.push(storableIssue(doc, path, detail));
        continue;
      }
      const at = fieldPathLabel('document', path);
      const en = detail.en.replace(/\.$/, '');
      const zh = detail['zh-CN'].replace(/。$/, '');
      const what = at ? fieldSentence(at, detail) : null;
      const head =
        path[0] === 'settings'
          ? { en: 'Flow settings', 'zh-CN': '流程设置' }
          : { en: 'The flow document is malformed', 'zh-CN': '流程文档格式有误' };
      issues.push(
        issue(
          'E_FORMAT',
          what
            ? { en: `${head.en}: ${what.en}.`, 'zh-CN': `${head['zh-CN']}：${what['zh-CN']}。` }
            : { en: `${head.en}: it ${en}.`, 'zh-CN': `${head['zh-CN']}：${zh}。` },
          { path },
        ),
      );
    }
    return { issues, model: null };
  }
  checkParameters(parsed.data, issues);
  const model = buildModel(parsed.data, issues, cache);
  checkPlaceholders(model, issues, cache);
  checkGraph(model, issues);
  checkWebhooks(model, issues, options.webhookAllowList ?? []);
  if (brand) {
    checkResources(model, brand, issues, cache);
    checkCouponExpiry(model, brand, issues);
    checkTemplateMessages(model, brand, issues);
  }
  return { issues, model };
}

/**
 * A `validate` for one editor: same answer as `validate()`, but each call after the first
 * re-does only what the edit touched (./incremental.ts). Keep one per open document.
 */
export function createIncrementalValidator(): (
  doc: unknown,
  brand?: BrandContext,
  options?: ValidateOptions,
) => Issue[] {
  const cache = new ValidationCache();
  return (doc, brand, options = {}) => validate(doc, brand, options, cache);
}

function checkParameters(doc: FlowDraftType, issues: Issue[]): void {
  const seen = new Set<string>();
  (doc.parameters ?? []).forEach((p, i) => {
    if (seen.has(p.name)) {
      issues.push(
        issue(
          'E_FORMAT',
          {
            en: `The parameter "${p.name}" is declared twice; remove one of them.`,
            'zh-CN': `参数“${p.name}”被重复声明，请删除其中一个。`,
          },
          { path: ['parameters', i, 'name'] },
        ),
      );
    }
    seen.add(p.name);
  });
}
