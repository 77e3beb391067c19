import { useTranslation } from 'react-i18next';

const DURATION = /^([1-9][0-9]{0,5})([mhdw])$/;

/** `3d` → "3 days" / "3 天"; anything unparsable is shown as written. */
export function useDurationText(): (duration: string) => string {
  const { t } = useTranslation();
  return (duration) => {
    const m = DURATION.exec(duration);
    if (!m) return duration;
    return t(`editor.durations.${m[2] as 'm' | 'h' | 'd' | 'w'}`, { n: Number(m[1]) });
  };
}
