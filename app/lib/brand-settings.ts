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

/** Time zones offered first in the form (any IANA zone is accepted). */
export const COMMON_TIMEZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'America/New_York',
  'UTC',
] as const;

export const CAP_UNITS = ['h', 'd', 'w'] as const;
