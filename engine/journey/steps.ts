/**
 * Plan steps typed per kind from the node registry (engine/nodes): `PlanStepOf<'wait.event'>`
 * carries the wait's planned config (`event`, `timeoutMs`, …). The plan is JSON, so the step
 * machine reads each step once as a `TypedPlanStep` and switches on its kind; a new node kind
 * does not compile until the machine handles it (or says why it cannot run mid-journey).
 */
import type { NodeKind, NodeSpecs } from '../nodes/index';
import type { PlanStep } from '../plan';

/** A kind's config as the plan carries it: defaults applied, durations and times resolved. */
export type PlanConfig<K extends NodeKind> = ReturnType<NodeSpecs[K]['plan']>;

export interface PlanStepOf<K extends NodeKind> extends Omit<PlanStep, 'kind' | 'config'> {
  kind: K;
  config: PlanConfig<K>;
}

export type TypedPlanStep = { [K in NodeKind]: PlanStepOf<K> }[NodeKind];

/** A plan's step as the machine reads it (compile built it from the same registry). */
export const typedStep = (step: PlanStep): TypedPlanStep => step as TypedPlanStep;

/** Makes a switch over kinds exhaustive: a kind left out is a compile error here. */
export function unhandledKind(step: never): never {
  throw new Error(`unhandled step kind ${(step as PlanStep).kind}`);
}
