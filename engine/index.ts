/**
 * The flow model shared by the editor, the server and the journey workflows. Pure: imports
 * only its own files and zod, json-rules-engine, mustache and @noble/hashes.
 */
export {
  ISSUE_CODES,
  FlowInvalidError,
  hasErrors,
  severityOf,
  type Issue,
  type IssueCode,
  type Lang,
  type LocalizedText,
  type Severity,
} from './issues';

// Schemas (schema and type share a name).
export {
  FORMAT,
  FlowDraft,
  DraftNode,
  Edge,
  Settings,
  Parameter,
  ParameterKind,
  PARAMETER_KINDS,
  Position,
  QuietHours,
  FrequencyCap,
  Goal,
  Reentry,
  Timezone,
  type FlowDraftInput,
} from './schema/document';
export { FlowDoc, FlowNode, type FlowNodeOf } from './schema/flow-doc';
export { Duration, TimeOfDay, durationMs, timeOfDayMinutes } from './schema/duration';
export { EventMatcher, EVENT_TYPES, type EventType, type FlowEvent } from './schema/event-matcher';
export { PushMessage, PushChannel } from './schema/message';
export {
  Rules,
  FACTS,
  OPERATORS,
  FOLLOWER_FIELDS,
  type RuleCondition,
  type RuleLeaf,
  type OperatorName,
  type FactName,
} from './schema/rules';

// Node catalog.
export {
  nodeSpecs,
  specOf,
  NODE_KINDS,
  isNodeKind,
  type NodeKind,
  type NodeSpec,
  type NodeConfig,
} from './nodes/index';

// validate → compile → plan.
export { validate, type BrandContext } from './validate/index';
export { ACCOUNT_TAG_LIMIT, FOLLOWER_TAG_LIMIT } from './validate/resources';
export { compile, DEFAULT_TIMEZONE, type CompileOptions } from './compile';
export {
  PLAN_FORMAT,
  type ExecutionPlan,
  type PlanStep,
  type PlanSettings,
  type TriggerIndex,
  type TriggerEntry,
  type EventEntry,
  type DateEntry,
  type BroadcastEntry,
} from './plan';
export { canonicalJson, sha256Hex } from './hash';
export { matchesEvent, matchesEventFilters, findEntries, sceneMatches } from './match-event';

// Rules.
export { evaluateRules, resolvePath } from './rules/evaluate';
export { operatorSemantics, distanceM } from './rules/operators';
export {
  buildFacts,
  buildFollowerFact,
  buildEventFact,
  buildJourneyFact,
  type Facts,
  type FollowerRecord,
  type FollowerFact,
  type EventRecord,
  type EventFact,
  type JourneyRecord,
  type JourneyFact,
} from './rules/facts';
export {
  compileAudienceSql,
  AudienceSqlError,
  type SqlFragment,
  type AudienceSqlOptions,
} from './audience-sql';

// Templates, rendering, edits.
export {
  findParams,
  bindTemplate,
  makeTemplate,
  substituteParams,
  type BindResult,
  type ParamUse,
} from './templates';
export { renderText, renderMessage, renderDeep, type RenderVars } from './render';
export { applyOp, applyOps, FlowOp, FlowOpError, type OpOptions } from './ops';
export * from './time';
