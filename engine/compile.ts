/**
 * `compile(doc) → ExecutionPlan`. Only a document without errors compiles; otherwise a
 * FlowInvalidError carries the issues. Declared parameters are bound (explicit values, else
 * their defaults) before validation, so the plan names real resources.
 */
import { FlowInvalidError, hasErrors } from './issues';
import { reentryOf } from './entry';
import { durationMs, timeOfDayMinutes } from './schema/duration';
import type { Reentry, Settings } from './schema/document';
import { canonicalJson, sha256Hex } from './hash';
import {
  PLAN_FORMAT,
  type ExecutionPlan,
  type PlanSettings,
  type PlanStep,
  type TriggerIndex,
} from './plan';
import { bindValues } from './templates';
import { analyse } from './validate/index';
import type { BrandContext } from './validate/resources';

export interface CompileOptions {
  /** The brand's time zone, used when the flow sets none. */
  timezone?: string;
  /** Values for declared parameters (override their defaults). */
  params?: Record<string, string>;
  /** Also run the brand's resource checks (as publishing does). */
  brand?: BrandContext;
  /** The operator's allowed webhook hosts and networks (see ValidateOptions). */
  webhookAllowList?: readonly string[];
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export function compile(doc: unknown, options: CompileOptions = {}): ExecutionPlan {
  const { doc: bound, values } = bindValues(doc, options.params ?? {});
  const { issues, model } = analyse(bound, options.brand, {
    webhookAllowList: options.webhookAllowList,
  });
  if (!model || hasErrors(issues)) throw new FlowInvalidError(issues);

  const steps: Record<string, PlanStep> = {};
  const triggers: TriggerIndex = { events: {}, dates: [], broadcasts: [] };
  for (const info of model.order) {
    const spec = info.spec!;
    const config = info.config;
    const ports = model.out.get(info.node.id);
    steps[info.node.id] = {
      id: info.node.id,
      kind: info.node.kind,
      config: spec.plan(config),
      next: Object.fromEntries((info.ports ?? []).map((p) => [p, ports?.get(p) ?? null])),
    };
    const entry = spec.entry?.(info.node.id, config);
    if (!entry) continue;
    if (entry.kind === 'event') {
      for (const type of entry.eventTypes) (triggers.events[type] ??= []).push(entry);
    } else if (entry.kind === 'date') triggers.dates.push(entry);
    else triggers.broadcasts.push(entry);
  }
  // Node order in the document is not behaviour: keep the index in a canonical order.
  const byId = (a: { nodeId: string }, b: { nodeId: string }) =>
    a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
  for (const list of Object.values(triggers.events)) list.sort(byId);
  triggers.dates.sort(byId);
  triggers.broadcasts.sort(byId);

  const draft = model.doc;
  const settings = planSettings(
    draft.settings ?? {},
    options.timezone ?? DEFAULT_TIMEZONE,
    reentryOf(draft),
  );
  const parameters = (draft.parameters ?? [])
    .map((p) => ({ name: p.name, kind: p.kind, value: values[p.name] ?? null }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const content = { settings, parameters, triggers, steps };
  return {
    format: PLAN_FORMAT,
    hash: sha256Hex(canonicalJson(content)),
    name: draft.name,
    ...content,
  };
}

function planSettings(s: Settings, defaultTimezone: string, reentry: Reentry): PlanSettings {
  return {
    timezone: s.timezone ?? defaultTimezone,
    reentry,
    quietHours: s.quietHours
      ? {
          ...s.quietHours,
          fromMinutes: timeOfDayMinutes(s.quietHours.from),
          toMinutes: timeOfDayMinutes(s.quietHours.to),
        }
      : null,
    frequencyCap: s.frequencyCap
      ? { ...s.frequencyCap, perMs: durationMs(s.frequencyCap.per) }
      : null,
    exitOn: s.exitOn ?? [],
    goal: s.goal ? { ...s.goal, withinMs: durationMs(s.goal.within) } : null,
  };
}
