/** Turning a refused use case into the problems an account page shows. */
import { ServiceError } from '../../services/errors';
import type { AuthProblem } from '~/lib/auth-problems';

export { PASSWORD_MIN } from '../../services/auth/passwords';

/** The problem a ServiceError describes; anything else is a bug and is rethrown. */
export function asProblem(error: unknown): AuthProblem {
  if (error instanceof ServiceError) {
    return {
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      ...(Object.keys(error.values).length ? { values: error.values } : {}),
    };
  }
  throw error;
}

/** A text field of a submitted form ('' when absent or a file). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
