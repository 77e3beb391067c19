/** The blank draft a new flow starts from (pure: the editor's page shares it). */
import { FORMAT, type FlowDraft } from '../../engine/index';

/**
 * A new flow leaves re-entry unchosen: it then follows its triggers (`defaultReentry` — a
 * birthday or repurchase flow enters again, anything else once) until the marketer picks one.
 */
export function blankDraft(name: string, timezone: string): FlowDraft {
  return {
    format: FORMAT,
    name,
    settings: {
      timezone,
      quietHours: null,
      frequencyCap: null,
      exitOn: [],
      goal: null,
    },
    nodes: [],
    edges: [],
  };
}
