/**
 * A pattern field in a schema (keyword lists in regex mode, the value of a `matches` rule):
 * refused with the construct named (engine/patterns.ts) and the field's label from the panel.
 */
import type { z } from 'zod';
import type { LocalizedText } from '../issues';
import { patternProblem } from '../patterns';
import type { IssueParams } from './field-labels';

/** Adds an issue at `path` when `source` is not a pattern every place that runs it accepts. */
export function checkPatternField(
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  source: string,
  label: LocalizedText,
): void {
  const p = patternProblem(source);
  if (!p) return;
  const params: IssueParams = { text: p.detail, label };
  ctx.addIssue({ code: 'custom', path, message: p.detail.en, params });
}
