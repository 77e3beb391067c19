import { Duration, durationText } from '~/lib/engine';
import { useLang } from './labels';

/** `3d` → "3 days" / "3 天" (the engine's words); null while the duration is incomplete. */
export function useDurationText(): (duration: string | undefined) => string | null {
  const lang = useLang();
  return (duration) =>
    duration !== undefined && Duration.safeParse(duration).success
      ? durationText(duration)[lang]
      : null;
}
