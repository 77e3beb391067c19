/**
 * Pure helpers around the flow document shared by the browser and the server: the blank
 * draft a new flow starts from, and what changed between two versions of a flow (the
 * engine's diff, engine/diff.ts).
 */
export { blankDraft } from '../../services/flows/draft';
export { diffFlows, type FlowDiff } from './engine';
