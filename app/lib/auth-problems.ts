/** What an account page's action returns when it refuses: coded problems, some on a field. */
import type { ServiceCode } from '../../services/errors';

export interface AuthProblem {
  code: ServiceCode;
  /** The form field the problem is about (its message shows under that field). */
  field?: string;
  values?: Record<string, string | number>;
}

export type AuthFormResult =
  { ok: true } | { ok: false; problems: AuthProblem[]; values?: Record<string, string> };

export function fieldProblem(
  problems: AuthProblem[] | undefined,
  field: string,
): AuthProblem | undefined {
  return problems?.find((p) => p.field === field);
}
