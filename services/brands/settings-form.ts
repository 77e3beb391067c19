/** Brand settings' shapes and choices, shared by the settings page and its server module. */
export interface BrandSettings {
  timezone: string;
  frequencyCap: { max: number; per: string } | null;
}

/** The form as submitted: every field a string ('' when absent). */
export interface BrandSettingsForm {
  timezone: string;
  capEnabled: string;
  capMax: string;
  capEvery: string;
  capUnit: string;
}

export { COMMON_TIMEZONES } from '../../engine/time';

export const CAP_UNITS = ['h', 'd', 'w'] as const;
