/**
 * Calling WeChat for a brand from a resource use case (tags, menus, QR), and turning a failure into a Problem a
 * marketer can read (the errcode stays in it, and in the log).
 */
import type { Db } from '../../db/client';
import type { WechatClients } from './clients';
import { DEFAULT_API_BASE, type WechatClient } from '../../wechat/client';
import { WechatError } from '../../wechat/errors';
import { problem, type Problem } from '../resources/problems';

export interface ResourceDeps {
  db: Db;
  wechat: WechatClients;
  /** WECHAT_API_BASE (the sandbox in development); a brand's own api_base wins. */
  apiBase?: string;
  /** Server-side log of failed WeChat calls (the UI only shows the sentence). */
  onWechatError?: (error: unknown, context: { brandId: string; action: string }) => void;
}

/** 40013 unknown AppId / 40125 wrong AppSecret: in development, the sandbox lacks the account. */
const CREDENTIAL_ERRCODES = new Set([40013, 40125]);

async function isSandbox(base: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/__sandbox/health', base), {
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok && ((await res.json()) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

/** A sentence-ready Problem for a failed WeChat call. */
export async function wechatProblem(
  error: unknown,
  ctx: { base: string; appId: string },
): Promise<Problem> {
  if (!(error instanceof WechatError)) throw error;
  if (error.errcode === null) {
    return problem('wechat_unreachable', { base: ctx.base, detail: error.errmsg || error.kind });
  }
  if (CREDENTIAL_ERRCODES.has(error.errcode) && (await isSandbox(ctx.base))) {
    return problem('wechat_sandbox_unregistered', {
      appId: ctx.appId,
      base: ctx.base,
      errcode: error.errcode,
    });
  }
  return problem('wechat_error', { errcode: error.errcode, errmsg: error.errmsg || '—' });
}

/**
 * Runs `call` with the brand's WeChat client. WeChat failures come back as a Problem; any
 * other error (database, bug) is thrown for the route's error boundary.
 */
export async function withWechat<T>(
  deps: ResourceDeps,
  brandId: string,
  action: string,
  call: (client: WechatClient) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; problem: Problem }> {
  const { account, client } = await deps.wechat.forBrand(brandId);
  try {
    return { ok: true, value: await call(client) };
  } catch (error) {
    if (!(error instanceof WechatError)) throw error;
    deps.onWechatError?.(error, { brandId, action });
    const base = account.apiBase ?? deps.apiBase ?? DEFAULT_API_BASE;
    return { ok: false, problem: await wechatProblem(error, { base, appId: account.appId }) };
  }
}
