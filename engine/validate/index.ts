/**
 * `validate(doc, brand?) → Issue[]`: every problem in a flow document, with stable codes.
 * Never throws: the editor calls it on every keystroke and the server on untrusted input.
 */
import { issue, type Issue } from '../issues';
import { FlowDraft, type FlowDraft as FlowDraftType } from '../schema/document';
import { checkGraph } from './graph';
import { buildModel, type GraphModel } from './model';
import { checkPlaceholders } from './placeholders';
import { checkResources, type BrandContext } from './resources';
import { describeZodIssue } from './zod-issues';

export type { BrandContext } from './resources';

export function validate(doc: unknown, brand?: BrandContext): Issue[] {
  try {
    return analyse(doc, brand).issues;
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
): { issues: Issue[]; model: GraphModel | null } {
  const issues: Issue[] = [];
  const parsed = FlowDraft.safeParse(doc);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const detail = describeZodIssue(iss);
      const path = iss.path as (string | number)[];
      const at = path.length ? path.join('/') : null;
      issues.push(
        issue(
          'E_FORMAT',
          {
            en: `The flow document is malformed${at ? ` at ${at}` : ''}: ${detail.en.replace(/\.$/, '')}.`,
            'zh-CN': `流程文档格式有误${at ? `（位置 ${at}）` : ''}：${detail['zh-CN'].replace(/。$/, '')}。`,
          },
          { path },
        ),
      );
    }
    return { issues, model: null };
  }
  checkParameters(parsed.data, issues);
  const model = buildModel(parsed.data, issues);
  checkPlaceholders(model, issues);
  checkGraph(model, issues);
  if (brand) checkResources(model, brand, issues);
  return { issues, model };
}

function checkParameters(doc: FlowDraftType, issues: Issue[]): void {
  const seen = new Set<string>();
  (doc.parameters ?? []).forEach((p, i) => {
    if (seen.has(p.name)) {
      issues.push(
        issue(
          'E_FORMAT',
          {
            en: `The parameter "${p.name}" is declared twice.`,
            'zh-CN': `参数 "${p.name}" 被重复声明。`,
          },
          { path: ['parameters', i, 'name'] },
        ),
      );
    }
    seen.add(p.name);
  });
}
