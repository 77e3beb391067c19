/** Bounds every events API event keeps (docs/decisions/004-input-bounds.md). */
import { z } from 'zod';

const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
/** Clocks disagree; an event from further ahead would move "last purchase" into the future. */
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

/** An event's `occurredAt`: an instant with its offset, from 2000 to 24 hours from now. */
export const when = z.iso
  .datetime({ offset: true })
  .refine(
    (at) => {
      const ms = Date.parse(at);
      return ms >= EARLIEST && ms <= Date.now() + MAX_AHEAD_MS;
    },
    { message: 'must be between 2000-01-01 and 24 hours from now' },
  )
  .optional();
