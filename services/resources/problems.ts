/**
 * What a resource operation refused, as a code the UI translates (`resources:problems.<code>`)
 * with the values the sentence needs. Shared by the use cases (services/) and the components, so it
 * imports nothing server-only.
 */
export const PROBLEM_CODES = [
  'name_required',
  'name_too_long',
  'name_taken',
  'name_reserved',
  'not_found',
  'tag_budget_full',
  'tag_is_menu_tag',
  'tag_in_use',
  'name_too_long_chars',
  'pool_no_file',
  'pool_file_too_large',
  'pool_no_codes',
  'pool_too_many_codes',
  'pool_bad_count',
  'pool_bad_length',
  'pool_expiry_mode',
  'pool_expiry_date_invalid',
  'pool_expiry_date_past',
  'pool_expiry_days_invalid',
  'menu_no_buttons',
  'menu_too_many_buttons',
  'menu_too_many_sub_buttons',
  'menu_group_empty',
  'menu_button_name_required',
  'menu_button_name_too_long',
  'menu_key_required',
  'menu_key_too_long',
  'menu_key_invalid',
  'menu_key_duplicate',
  'menu_url_invalid',
  'menu_no_default',
  'menu_default_locked',
  'qr_scene_required',
  'qr_scene_invalid',
  'qr_scene_taken',
  'qr_bad_expiry',
  'qr_bad_kind',
  'timezone_invalid',
  'cap_max_invalid',
  'cap_per_invalid',
  'wechat_sandbox_unregistered',
  'wechat_unreachable',
  'wechat_error',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * WeChat errcodes with a sentence of their own (`resources:wechat.<errcode>`); any other code
 * gets the generic sentence with WeChat's errmsg.
 */
export const WECHAT_ERRCODES = [
  -1, 40001, 40003, 40013, 40016, 40017, 40018, 40019, 40023, 40055, 40097, 40125, 40164, 45009,
  45056, 45057, 45079, 45157, 45158, 45159, 46003, 48001, 65303, 65304, 65305, 65320,
] as const;

export interface Problem {
  code: ProblemCode;
  /** The form field (or menu slot) the problem is about, when there is one. */
  field?: string;
  values?: Record<string, string | number>;
}

export interface Refusal {
  ok: false;
  problems: Problem[];
}
export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

export const problem = (
  code: ProblemCode,
  values?: Problem['values'],
  field?: string,
): Problem => ({
  code,
  ...(field ? { field } : {}),
  ...(values ? { values } : {}),
});

export const refuse = (...problems: Problem[]): Refusal => ({ ok: false, problems });

/** WeChat counts limits in UTF-8 bytes: 一个汉字 is 3. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Ids from forms and URLs are checked before they reach a uuid column (which would throw). */
export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
