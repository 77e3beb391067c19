/**
 * Every reason a use case refuses. The UI has a sentence for each (app/i18n/locales/auth.*.json,
 * `problems.<code>`; a unit test checks), the CLI prints the code with the English message.
 */
export const SERVICE_CODES = [
  // sign-in
  'credentials_wrong',
  'too_many_attempts',
  'email_missing',
  'password_missing',
  // accounts
  'email_invalid',
  'email_taken',
  'name_too_long',
  'password_too_short',
  'password_too_long',
  'current_password_wrong',
  'password_unchanged',
  'user_not_found',
  'user_unknown',
  'setup_done',
  // organizations, brands, roles
  'organization_name_missing',
  'organization_name_too_long',
  'organization_ambiguous',
  'organization_unknown',
  'organization_required',
  'brand_unknown',
  'brand_not_in_organization',
  'brand_without_organization',
  'role_invalid',
  'role_not_allowed',
  // brands, WeChat credentials, API keys
  'forbidden',
  'brand_name_missing',
  'brand_name_too_long',
  'brand_slug_invalid',
  'brand_slug_taken',
  'app_id_invalid',
  'app_secret_missing',
  'app_secret_invalid',
  'callback_token_missing',
  'callback_token_invalid',
  'aes_key_missing',
  'aes_key_invalid',
  'callback_mode_invalid',
  'apikey_name_missing',
  'apikey_name_too_long',
  'apikey_unknown',
  // message templates (synced from WeChat)
  'brand_not_connected',
  'wechat_refused',
  'wechat_unreachable',
  // flow templates (the organization's library)
  'template_unknown',
  'template_name_missing',
  'template_param_path_unknown',
  'flow_unknown',
  'flow_not_from_template',
  // invitations
  'invitation_unknown',
  'invitation_expired',
  'invitation_used',
  'invitation_other_email',
  'invitation_account_exists',
  // a brand's team
  'member_unknown',
  'member_self',
  'member_via_organization',
  'last_owner',
  // test followers and test sends (issue 11): the codes its JSON route answers with
  'E_INPUT',
  'E_UNKNOWN_FOLLOWER',
  'E_TOO_MANY',
  'E_NOT_CONNECTED',
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/**
 * A refused use case: a stable code (the UI translates it; the CLI prints it), the form field
 * it is about, and an English sentence for the CLI and logs.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceCode,
    message: string,
    readonly field?: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** True for Postgres' unique_violation (drizzle wraps the driver's error in `cause`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { code, constraint_name } = e as { code?: unknown; constraint_name?: unknown };
    if (code === '23505') return constraint === undefined || constraint_name === constraint;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Every ServiceError the checks throw, in order: a form shows all of its problems at once. */
export function collectProblems(checks: ReadonlyArray<() => unknown>): ServiceError[] {
  const problems: ServiceError[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      problems.push(error);
    }
  }
  return problems;
}
