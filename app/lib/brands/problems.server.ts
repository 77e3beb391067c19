/** A refused brand or API-key use case as the problems its page shows (all of a form's at once). */
import { InputProblems } from '../../../services/brands';
import { ServiceError } from '../../../services/errors';
import type { AuthProblem } from '~/lib/auth-problems';

const one = (error: ServiceError): AuthProblem => ({
  code: error.code,
  ...(error.field ? { field: error.field } : {}),
  ...(Object.keys(error.values).length ? { values: error.values } : {}),
});

/** The problems `error` describes; anything that is not a refusal is a bug and is rethrown. */
export function problemsOf(error: unknown): AuthProblem[] {
  if (error instanceof InputProblems) return error.problems.map(one);
  if (error instanceof ServiceError) return [one(error)];
  throw error;
}
