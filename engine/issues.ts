/**
 * Validation issues: stable codes (docs/product.md#validation-codes), a severity, where in the flow, and a sentence
 * in both languages a marketer can act on. The canvas pins them on nodes; the CLI prints them.
 * A sentence names a step, a field and a port the way the editor shows them (./labels.ts:
 * `stepName`, `fieldPathLabel`, `portName`) — never by id or JSON path; `nodeId`, `edgeId`
 * and `path` carry those for the editor, the logs and the CLI's `--json`.
 */

export const ISSUE_CODES = [
  'E_FORMAT',
  'E_UNKNOWN_KIND',
  'E_DUPLICATE_ID',
  'E_NO_TRIGGER',
  'E_DANGLING_EDGE',
  'E_BAD_PORT',
  'E_PORT_TAKEN',
  'E_TRIGGER_INPUT',
  'E_CONFIG',
  'E_LOOP_WITHOUT_WAIT',
  'E_UNBOUND_PARAM',
  'E_PUSH_AFTER_UNFOLLOW',
  'E_UNKNOWN_RESOURCE',
  'E_TAG_BUDGET',
  'W_TAG_BUDGET',
  'W_UNREACHABLE',
  'W_OPEN_PORT',
  'W_CS_WINDOW',
  'W_DATE_TRIGGER_ONCE',
  'W_COUPON_NO_EXPIRY',
  'W_TEMPLATE_VALUE',
  'W_REPEAT_CONTENT',
] as const;
/**
 * What `validateTemplate` adds for a template (a flow document shared between brands): a brand
 * resource named directly instead of through a parameter, a parameter default its kind refuses,
 * a parameter nothing uses.
 */
export const TEMPLATE_ISSUE_CODES = [
  'E_TEMPLATE_RESOURCE',
  'E_PARAM_DEFAULT',
  'W_UNUSED_PARAM',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number] | (typeof TEMPLATE_ISSUE_CODES)[number];
export type Severity = 'error' | 'warning';

export interface LocalizedText {
  'zh-CN': string;
  en: string;
}
export type Lang = keyof LocalizedText;

export interface Issue {
  code: IssueCode;
  severity: Severity;
  nodeId?: string;
  edgeId?: string;
  /** JSON Pointer (RFC 6901) into the document, e.g. `/nodes/2/config/duration`. */
  path?: string;
  message: LocalizedText;
}

export function severityOf(code: IssueCode): Severity {
  return code.startsWith('W_') ? 'warning' : 'error';
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Builds an issue; severity always follows the code so the two can never disagree. */
export function issue(
  code: IssueCode,
  message: LocalizedText,
  where: { nodeId?: string; edgeId?: string; path?: readonly (string | number)[] } = {},
): Issue {
  const out: Issue = { code, severity: severityOf(code), message };
  if (where.nodeId !== undefined) out.nodeId = where.nodeId;
  if (where.edgeId !== undefined) out.edgeId = where.edgeId;
  if (where.path !== undefined) out.path = toPointer(where.path);
  return out;
}

export function toPointer(path: readonly (string | number | symbol)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Thrown by `compile` for a document with errors; carries every issue found. */
export class FlowInvalidError extends Error {
  readonly code = 'E_FLOW_INVALID';
  constructor(readonly issues: Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      `flow is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}): ` +
        errors
          .slice(0, 5)
          .map((i) => `${i.code} ${i.message.en}`)
          .join('; '),
    );
    this.name = 'FlowInvalidError';
  }
}
