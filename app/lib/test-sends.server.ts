/**
 * The test send's HTTP surface (issue 11): `POST /brands/<slug>/flows/<flowId>/test-send` with
 * `{ messages: [{ nodeId, message }] }` (the simulator's rendered messages) answers
 * `{ results: [{ openid, nodeId, outcome, channel, errcode, reason, reasonText }] }`, or
 * `{ ok: false, error: { code, message }, message }` with the status the refusal deserves. The
 * route calls `requireMember` first; the use case checks the role again and scopes everything
 * to the brand of the URL.
 */
import { translator, type Language } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import type { AuthProblem } from '~/lib/auth-problems';
import { problemsOf } from '~/lib/brands/problems.server';
import { KiB } from '~/lib/http/body.server';
import { jsonAction } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';
import { reasonText } from '../../engine/outcomes';
import type { Actor } from '../../services/deps';
import { ServiceError, type ServiceCode } from '../../services/errors';
import type { TestSendResult } from '../../services/test-sends';

/** Twenty rendered messages fit well within this. */
export const MAX_TEST_SEND_BYTES = 256 * KiB;

/** The body refusals of ./http/guard.server, as the codes API clients read. */
const REFUSAL_CODES: Record<string, string> = {
  crossSite: 'E_CROSS_SITE',
  tooLarge: 'E_TOO_LARGE',
  notJson: 'E_MEDIA_TYPE',
  badJson: 'E_JSON',
  unreadable: 'E_JSON',
};

const STATUS: Partial<Record<ServiceCode, number>> = {
  E_INPUT: 400,
  forbidden: 403,
  brand_unknown: 404,
  flow_unknown: 404,
  E_UNKNOWN_FOLLOWER: 404,
  E_TOO_MANY: 409,
  E_NOT_CONNECTED: 409,
};

/** A result's reason in the reader's words; `quota_closed` says what the tester must do. */
export function testReasonText(
  result: Pick<TestSendResult, 'outcome' | 'reason'>,
  lang: Language,
): string | null {
  if (!result.reason) return null;
  const t = translator(lang);
  if (result.reason === 'quota_closed')
    return t('testFollowers.results.quotaClosed', { ns: 'resources' });
  return reasonText(result.reason)[lang];
}

/** A refused use case as the JSON answer; anything else is a bug and is rethrown. */
export function serviceErrorJson(request: Request, error: unknown): Response {
  if (!(error instanceof ServiceError)) throw error;
  const t = translator(resolveLanguage(request));
  const message = t(`problems.${error.code}` as never, { ns: 'auth', ...error.values }) as string;
  return Response.json(
    {
      ok: false,
      error: { code: error.code, message, ...(error.field ? { field: error.field } : {}) },
      message,
    },
    { status: STATUS[error.code] ?? 400 },
  );
}

export async function testSendRequest(
  slug: string,
  flowId: string,
  request: Request,
  actor: Actor,
): Promise<Response> {
  const lang = resolveLanguage(request);
  const body = await jsonAction(request, { maxBytes: MAX_TEST_SEND_BYTES });
  if (!body.ok) {
    // The guard's answer, with the code API clients read beside its sentence.
    const refused = (await body.response.json()) as { error: string; message: string };
    return Response.json(
      {
        ok: false,
        error: { code: REFUSAL_CODES[refused.error] ?? 'E_JSON', message: refused.message },
        message: refused.message,
      },
      { status: body.response.status },
    );
  }
  const input = body.body;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return serviceErrorJson(
      request,
      new ServiceError('E_INPUT', 'the body is not a JSON object', undefined, {
        detail: 'body: expected an object with "messages"',
      }),
    );
  }
  try {
    const { results } = await services.testSends.testSend(actor, slug, {
      flowId,
      messages: (input as { messages?: unknown }).messages,
    });
    return Response.json({
      ok: true,
      results: results.map((r) => ({ ...r, reasonText: testReasonText(r, lang) })),
    });
  } catch (error) {
    return serviceErrorJson(request, error);
  }
}

/** What marking or removing a test follower (a form's `intent`) answers the page with. */
export type TestFollowerAnswer =
  | { intent: 'mark'; ok: true; openid: string }
  | { intent: 'unmark'; ok: true; openid: string; removed: boolean }
  | { intent: 'mark' | 'unmark'; ok: false; openid: string; problems: AuthProblem[] };

/**
 * The `mark` (openid, label) and `unmark` (openid) intents of the test followers page and a
 * fan's page; null for another intent (the route answers 400). Refusals come back as problems.
 */
export async function testFollowerAction(
  actor: Actor,
  slug: string,
  form: FormData,
): Promise<TestFollowerAnswer | null> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const intent = text('intent');
  const openid = text('openid').trim();
  try {
    if (intent === 'mark') {
      await services.testSends.markTestFollower(actor, slug, { openid, label: text('label') });
      return { intent, ok: true, openid };
    }
    if (intent === 'unmark') {
      const { removed } = await services.testSends.unmarkTestFollower(actor, slug, openid);
      return { intent, ok: true, openid, removed };
    }
  } catch (error) {
    return { intent: intent as 'mark' | 'unmark', ok: false, openid, problems: problemsOf(error) };
  }
  return null;
}
