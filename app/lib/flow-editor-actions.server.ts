/**
 * The editor's HTTP surface: reads JSON bodies (bounded, same-site only: ./http/guard.server),
 * calls services.flows.editor (services/flows/editor.ts) and answers with a result the browser can show — every refusal
 * carries a sentence in the reader's language. The routes call `requireMember` first and pass
 * the brand it resolved (`member.brand.id`): every lookup here is scoped to it.
 */
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { KiB } from '~/lib/http/body.server';
import { jsonAction } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';
import type { Actor } from '../../services/deps';

/** A tag name is at most 30 bytes: its request is small. */
const MAX_TAG_REQUEST_BYTES = 4 * KiB;

const status = (error: string) => (error === 'notFound' ? 404 : error === 'archived' ? 409 : 400);

export async function saveDraftRequest(
  brandId: string,
  flowId: string,
  request: Request,
): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const body = await jsonAction(request);
  if (!body.ok) return body.response;
  const result = await services.flows.editor.saveDraft(brandId, flowId, body.body);
  if (result.ok) return Response.json(result);
  return Response.json(
    { ...result, message: t(`editor.save.errors.${result.error}`) },
    { status: status(result.error) },
  );
}

export async function editorAction(
  brandId: string,
  flowId: string,
  request: Request,
  actor: Actor,
): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const parsed = await jsonAction(request);
  if (!parsed.ok) return parsed.response;
  const body = parsed.body as { intent?: unknown; draft?: unknown; version?: unknown } | null;
  if (body?.intent === 'publish') {
    const result = await services.flows.editor.publishFlow(actor, brandId, flowId, body.draft);
    if (result.ok) return Response.json({ intent: 'publish', ...result });
    const message =
      result.error === 'unchanged'
        ? t('editor.publish.errors.unchanged', { version: result.version ?? 0 })
        : t(`editor.publish.errors.${result.error}`);
    return Response.json(
      { intent: 'publish', ...result, message },
      { status: status(result.error) },
    );
  }
  if (body?.intent === 'restore') {
    const result = await services.flows.editor.restoreVersion(
      actor,
      brandId,
      flowId,
      Number(body.version),
    );
    if (result.ok) return Response.json({ intent: 'restore', ...result });
    return Response.json(
      { intent: 'restore', ...result, message: t('editor.versions.notFound') },
      { status: 404 },
    );
  }
  return Response.json(
    { ok: false, error: 'badRequest', message: t('editor.errors.badRequest') },
    { status: 400 },
  );
}

export async function audienceRequest(
  brandId: string,
  flowId: string,
  request: Request,
): Promise<Response> {
  const body = await jsonAction(request);
  if (!body.ok) return body.response;
  const rules =
    body.body && typeof body.body === 'object'
      ? (body.body as { rules?: unknown }).rules
      : undefined;
  const result = await services.flows.editor.estimateAudience(brandId, flowId, rules);
  if (result.ok) return Response.json(result);
  const t = translator(resolveLanguage(request));
  const code = result.error === 'notFound' ? 404 : result.error === 'unavailable' ? 503 : 422;
  return Response.json(
    { ...result, message: t(`editor.rules.estimateErrors.${result.error}`) },
    { status: code },
  );
}

/** The Simulate panel's dry run: POST `{document?, sample?}` → the counts, or the draft's issues. */
export async function dryRunRequest(
  brandId: string,
  flowId: string,
  request: Request,
): Promise<Response> {
  const body = await jsonAction(request);
  if (!body.ok) return body.response;
  const input =
    body.body && typeof body.body === 'object' ? (body.body as Record<string, unknown>) : {};
  const result = await services.flows.editor.dryRun(brandId, flowId, {
    document: input.document,
    sample: input.sample,
  });
  if (result.ok) return Response.json(result);
  const t = translator(resolveLanguage(request));
  if (result.error === 'invalid')
    return Response.json({ ...result, message: t('editor.dryRun.invalid') }, { status: 422 });
  return Response.json(
    { ...result, message: t(`editor.dryRun.errors.${result.error}`) },
    { status: result.error === 'notFound' ? 404 : 400 },
  );
}

export async function createTagRequest(
  brandId: string,
  flowId: string,
  request: Request,
  actor: Actor,
): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const body = await jsonAction(request, { maxBytes: MAX_TAG_REQUEST_BYTES });
  if (!body.ok) return body.response;
  const name =
    body.body && typeof body.body === 'object' ? (body.body as { name?: unknown }).name : undefined;
  const result = await services.flows.editor.createTag(actor, brandId, flowId, name);
  if (result.ok) return Response.json(result);
  return Response.json(
    { ...result, message: t(`editor.resources.errors.${result.error}`) },
    { status: status(result.error) },
  );
}

/**
 * Runs `check` (requireMember) and, when it refuses, answers with its 401/403/404 JSON instead
 * of throwing it: the editor's fetcher then shows the sentence next to the canvas rather than
 * replacing the editor with an error page. Anything else thrown goes on.
 */
export async function refusalAsAnswer<T>(
  check: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: await check() };
  } catch (error) {
    if (error instanceof Response && [401, 403, 404].includes(error.status)) {
      return { ok: false, response: error };
    }
    throw error;
  }
}

/** The Simulate panel's scenarios are small: ten of them fit in 256 KiB with room to spare. */
const MAX_SCENARIOS_REQUEST_BYTES = 256 * KiB;
const SCENARIO_CODES = {
  notFound: 'E_NOT_FOUND',
  archived: 'E_ARCHIVED',
  tooMany: 'E_TOO_MANY_SCENARIOS',
  invalidScenario: 'E_SCENARIO',
} as const;

/** Saves the Simulate panel's test followers: `{ok: true}` or `{error: {code, message, issues?}}`. */
export async function saveScenariosRequest(
  brandId: string,
  flowId: string,
  request: Request,
): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const body = await jsonAction(request, { maxBytes: MAX_SCENARIOS_REQUEST_BYTES });
  if (!body.ok) return body.response;
  const result = await services.flows.editor.saveScenarios(brandId, flowId, body.body);
  if (result.ok) return Response.json({ ok: true });
  return Response.json(
    {
      error: {
        code: SCENARIO_CODES[result.error],
        message: t(`editor.simulate.saveErrors.${result.error}`, { max: 10 }),
        ...(result.issues ? { issues: result.issues } : {}),
      },
    },
    { status: status(result.error) },
  );
}
