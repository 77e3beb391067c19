/**
 * The editor's HTTP surface: reads JSON bodies, calls ./flow-editor.server and answers with
 * a result the browser can show — every refusal carries a sentence in the reader's language.
 */
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { createTag, estimateAudience, publishFlow, restoreVersion, saveDraft } from '~/lib/flow-editor.server';

async function jsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false };
  }
}

const status = (error: string) => (error === 'notFound' ? 404 : error === 'archived' ? 409 : 400);

export async function saveDraftRequest(flowId: string, request: Request): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const body = await jsonBody(request);
  if (!body.ok) return Response.json({ ok: false, error: 'notJson', message: t('editor.save.errors.notJson') }, { status: 400 });
  const result = await saveDraft(flowId, body.body);
  if (result.ok) return Response.json(result);
  return Response.json({ ...result, message: t(`editor.save.errors.${result.error}`) }, { status: status(result.error) });
}

export async function editorAction(flowId: string, request: Request): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const parsed = await jsonBody(request);
  const body = (parsed.ok ? parsed.body : null) as { intent?: unknown; draft?: unknown; version?: unknown } | null;
  if (body?.intent === 'publish') {
    const result = await publishFlow(flowId, body.draft);
    if (result.ok) return Response.json({ intent: 'publish', ...result });
    const message =
      result.error === 'unchanged'
        ? t('editor.publish.errors.unchanged', { version: result.version ?? 0 })
        : t(`editor.publish.errors.${result.error}`);
    return Response.json({ intent: 'publish', ...result, message }, { status: status(result.error) });
  }
  if (body?.intent === 'restore') {
    const result = await restoreVersion(flowId, Number(body.version));
    if (result.ok) return Response.json({ intent: 'restore', ...result });
    return Response.json({ intent: 'restore', ...result, message: t('editor.versions.notFound') }, { status: 404 });
  }
  return Response.json({ ok: false, error: 'badRequest', message: t('editor.errors.badRequest') }, { status: 400 });
}

export async function audienceRequest(flowId: string, request: Request): Promise<Response> {
  const body = await jsonBody(request);
  const rules = body.ok && body.body && typeof body.body === 'object' ? (body.body as { rules?: unknown }).rules : undefined;
  const result = await estimateAudience(flowId, rules);
  return Response.json(result, { status: result.ok ? 200 : result.error === 'notFound' ? 404 : 422 });
}

export async function createTagRequest(flowId: string, request: Request): Promise<Response> {
  const t = translator(resolveLanguage(request));
  const body = await jsonBody(request);
  const name = body.ok && body.body && typeof body.body === 'object' ? (body.body as { name?: unknown }).name : undefined;
  const result = await createTag(flowId, name);
  if (result.ok) return Response.json(result);
  return Response.json({ ...result, message: t(`editor.resources.errors.${result.error}`) }, { status: status(result.error) });
}
