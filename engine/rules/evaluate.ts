/**
 * `evaluateRules(rules, facts, now)` on json-rules-engine. One engine per call: operators
 * that read the clock close over the injected `now` (workflows pass workflow time), and
 * nothing is shared between evaluations.
 *
 * Strict facts: the engine runs with `allowUndefinedFacts: false`, so a fact other than
 * follower / event / journey rejects (validation already refuses them). Paths are resolved by
 * a plain dot walk: a missing path yields undefined, which operators treat as "no value"
 * (see ./operators).
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import { OPERATORS, isLeaf, type RuleCondition } from '../schema/rules';
import type { Facts } from './facts';
import { operatorSemantics } from './operators';

/** Resolves `$.a.b` by walking own properties only (no prototype, no JSONPath expressions). */
export function resolvePath(value: unknown, path: string): unknown {
  if (path === '$' || path === '') return value;
  let cur = value;
  for (const key of path.replace(/^\$\.?/, '').split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function toEngineCondition(rules: RuleCondition): TopLevelCondition {
  return (isLeaf(rules) ? { all: [rules] } : rules) as unknown as TopLevelCondition;
}

export async function evaluateRules(
  rules: RuleCondition,
  facts: Facts,
  now: number | Date,
): Promise<boolean> {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const engine = new Engine([], {
    allowUndefinedFacts: false,
    allowUndefinedConditions: false,
    pathResolver: resolvePath,
  });
  // Our table replaces json-rules-engine's defaults of the same name: one meaning everywhere.
  for (const name of OPERATORS) {
    const fn = operatorSemantics[name];
    engine.addOperator(name, (factValue: unknown, value: unknown) => fn(factValue, value, nowMs));
  }
  engine.addRule({ conditions: toEngineCondition(rules), event: { type: 'match' } });
  const { events } = await engine.run({
    follower: facts.follower,
    event: facts.event,
    journey: facts.journey,
  });
  return events.length > 0;
}
