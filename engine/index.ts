/**
 * The flow model shared by the editor, the server and the journey workflows. Pure: imports
 * only its own files and zod, json-rules-engine, mustache, @noble/hashes and re2js.
 */
export {
  ISSUE_CODES,
  TEMPLATE_ISSUE_CODES,
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
export { PushMessage, PushChannel, TemplateData } from './schema/message';
export { Birthday, isBirthday } from './schema/birthday';
export { textProblem, unstorable, type StorableProblem, type TextProblem } from './schema/storable';
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
export {
  validate,
  createIncrementalValidator,
  type BrandContext,
  type BrandTemplate,
  type ValidateOptions,
} from './validate/index';
export { ACCOUNT_TAG_LIMIT, FOLLOWER_TAG_LIMIT } from './validate/resources';
export { findBrandTemplate } from './validate/template-messages';
export {
  KEYWORD_RULES,
  charCount,
  keywordKind,
  keywordMax,
  keywordRule,
  parseTemplateContent,
  templateCardLines,
  type KeywordRule,
  type TemplateKeyword,
} from './template-message';
export { compile, DEFAULT_TIMEZONE, type CompileOptions } from './compile';
export { defaultReentry, reentryOf } from './entry';
export {
  fieldEntry,
  fieldLabel,
  fieldPathLabel,
  optionLabel,
  kindTitle,
  stepName,
  stepNameWithKind,
  portLabel,
  portName,
  PORT_LABELS,
  NAMED_PORTS,
  isNamedPort,
  durationText,
  valueText,
  fieldChanges,
  type NamedPort,
  type FieldChange,
  type FieldLabel,
  type FieldLabels,
  type LabelScope,
  type PathLike,
} from './labels';
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
export {
  matchesEvent,
  matchesEventFilters,
  findEntries,
  sceneMatches,
  journeyMatchers,
  whereVerdicts,
  matchesHeard,
  type HeardEvent,
} from './match-event';
export {
  TAG_NAME_MAX_BYTES,
  tagNameProblem,
  renderTagName,
  type TagNameProblem,
  type RenderedTag,
} from './tag-name';
export {
  classifyAddress,
  parseAllowList,
  refusedAddress,
  refusedUrl,
  isIpLiteral,
  type AddressCategory,
  type RefusedTarget,
} from './net';
export {
  patternProblem,
  patternMatches,
  PATTERN_CONSTRUCTS,
  PATTERN_MAX_LENGTH,
  type PatternConstruct,
  type PatternProblem,
} from './patterns';

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
  validateTemplate,
  directResources,
  exportTemplate,
  type ExportResult,
  type ParamChoice,
  type BindResult,
  type DirectResource,
  type ParamUse,
} from './templates';
export { templateCandidates, type TemplateCandidate } from './template-candidates';
export { diffFlows, type FlowDiff } from './diff';
export { renderText, renderMessage, renderDeep, couponVars, type RenderVars } from './render';
export {
  parseCouponExpiry,
  checkExpiryDate,
  checkExpiryDays,
  expiresAt,
  expiryDate,
  endOfLocalDay,
  MAX_EXPIRY_DAYS,
  type CouponExpiry,
  type ExpiryProblem,
} from './coupon-expiry';
export { applyOp, applyOps, FlowOp, FlowOpError, type OpOptions } from './ops';
export * from './time';
export {
  QUOTA_RULES,
  QUOTA_KINDS,
  openQuota,
  quotaOpenedBy,
  quotaRefusal,
  takeQuota,
  type Quota,
  type QuotaKind,
  type QuotaRefusal,
} from './quota';
export {
  CHANNELS,
  REASONS,
  channelText,
  messageText,
  reasonText,
  eventText,
  stepText,
  journeyEnteredText,
  journeyEndedText,
  conversionText,
  quotaText,
} from './outcomes';
