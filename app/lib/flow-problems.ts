/**
 * A problem recorded while a flow ran, as the flows list and the flow page show it (the type
 * lives with the query that finds them, services/flows/problems.ts; only the type reaches the
 * browser).
 */
export type { FlowProblem } from '../../services/flows/problems';
