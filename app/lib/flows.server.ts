/** The flows list (home page) as the page shows it: services.flows' rows, dates for the reader. */
import type { FlowRow } from '../../services/flows/list';
import type { Language } from '~/i18n/config';
import { formatDateTime } from '~/lib/format';
import { services } from '~/lib/services.server';

export type { FlowActionResult, FlowStatus } from '../../services/flows/list';

export interface FlowListItem extends Omit<FlowRow, 'updatedAt'> {
  updatedAt: string;
  updatedAtLabel: string;
}

/**
 * The brand's flows (the brand `requireMember` resolved: scoped by its id), newest edit
 * first; dates are formatted for `lang` in the brand's time zone.
 */
export async function loadFlows(
  brand: { id: string; timezone: string },
  lang: Language,
): Promise<FlowListItem[]> {
  const rows = await services.flows.list(brand.id);
  return rows.map((row) => ({
    ...row,
    updatedAt: row.updatedAt.toISOString(),
    updatedAtLabel: formatDateTime(row.updatedAt, lang, brand.timezone),
  }));
}
