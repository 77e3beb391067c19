/**
 * Brand settings a marketer may change on the web: the brand's time zone (the default for its
 * flows) and the brand-wide frequency cap (pushes per follower across all flows;
 * docs/product.md#governance). Validated here with the engine's own schemas; a refusal changes
 * nothing.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import { brands } from '../../db/schema';
import { FrequencyCap, isTimezone } from '../../engine/schema/document';
import { CAP_UNITS, type BrandSettings, type BrandSettingsForm } from './settings-form';
import { problem, refuse, type Problem, type Result } from '../resources/problems';

export async function loadBrandSettings(db: Db, brandId: string): Promise<BrandSettings> {
  const [row] = await db
    .select({ timezone: brands.timezone, frequencyCap: brands.frequencyCap })
    .from(brands)
    .where(eq(brands.id, brandId));
  return { timezone: row?.timezone ?? 'Asia/Shanghai', frequencyCap: row?.frequencyCap ?? null };
}

export function parseBrandSettings(form: BrandSettingsForm): Result<{ settings: BrandSettings }> {
  const problems: Problem[] = [];
  const timezone = form.timezone.trim();
  if (!isTimezone(timezone))
    problems.push(problem('timezone_invalid', { zone: timezone }, 'timezone'));
  let frequencyCap: BrandSettings['frequencyCap'] = null;
  if (form.capEnabled) {
    const unit = (CAP_UNITS as readonly string[]).includes(form.capUnit) ? form.capUnit : '';
    const parsed = FrequencyCap.safeParse({
      max: Number(form.capMax),
      per: `${form.capEvery.trim()}${unit}`,
    });
    if (parsed.success) frequencyCap = parsed.data;
    else {
      // The engine's schema decides; each of its complaints is put on the field it is about.
      const paths = new Set(parsed.error.issues.map((issue) => issue.path[0]));
      if (paths.has('max'))
        problems.push(
          problem('cap_max_invalid', { max: FrequencyCap.shape.max.maxValue ?? 1000 }, 'capMax'),
        );
      if (paths.has('per')) problems.push(problem('cap_per_invalid', {}, 'capEvery'));
    }
  }
  return problems.length ? refuse(...problems) : { ok: true, settings: { timezone, frequencyCap } };
}

export async function saveBrandSettings(
  db: Db,
  brandId: string,
  form: BrandSettingsForm,
  actor: Actor,
): Promise<Result<{ settings: BrandSettings }>> {
  const parsed = parseBrandSettings(form);
  if (!parsed.ok) return parsed;
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ timezone: brands.timezone, frequencyCap: brands.frequencyCap })
      .from(brands)
      .where(eq(brands.id, brandId))
      .for('update');
    await tx
      .update(brands)
      .set({ ...parsed.settings, updatedAt: new Date() })
      .where(eq(brands.id, brandId));
    // Saving the same values again is no change: nothing to record.
    if (before && JSON.stringify(before) !== JSON.stringify(parsed.settings))
      await recordAudit(tx, {
        actor,
        action: 'settings.changed',
        brandId,
        target: { type: 'brand', id: brandId },
        details: { before, after: parsed.settings },
      });
  });
  return parsed;
}

/** A brand's settings page (time zone, frequency cap) over one database. */
export function createBrandSettings(deps: { db: Db }) {
  return {
    load: (brandId: string) => loadBrandSettings(deps.db, brandId),
    save: (actor: Actor, brandId: string, form: BrandSettingsForm) =>
      saveBrandSettings(deps.db, brandId, form, actor),
  };
}

export type BrandSettingsService = ReturnType<typeof createBrandSettings>;
