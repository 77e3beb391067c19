/** The control API under /__sandbox/…: set up accounts, inspect calls, inject faults, move time, act as followers. */
import { matchMenu } from './api/menus';
import { invalidateTokens } from './api/tokens';
import { userInfo } from './api/users';
import { SimulateError, simulate } from './simulate';
import { templateJson } from './api/templates';
import { type SandboxState, followerView, massThisMonth, newFollower } from './state';
import { TEMPLATES_PER_ACCOUNT, addTemplate } from './templates';
import type {
  AccountConfig,
  FaultSpec,
  MassView,
  SeedFollower,
  SeedTemplate,
  SimulateKind,
  SimulateRequest,
} from './types';

export interface ControlReply {
  status: number;
  json: unknown;
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (
  state: SandboxState,
  params: string[],
  body: Record<string, unknown>,
  query: URLSearchParams,
) => unknown;

const SIMULATE_KINDS = new Set<SimulateKind>([
  'follow',
  'unfollow',
  'scan',
  'text',
  'click',
  'view',
  'location',
]);

function account(state: SandboxState, appId: string) {
  const acct = state.accounts.get(appId);
  if (!acct) throw new ControlError(404, `unknown account ${appId}`);
  return acct;
}

function need(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new ControlError(400, `${key} is required`);
  return v;
}

const routes: [method: string, pattern: RegExp, handler: Handler][] = [
  ['GET', /^\/__sandbox\/health$/, () => ({ ok: true })],
  [
    'POST',
    /^\/__sandbox\/accounts$/,
    (s, _p, b) => {
      const config: AccountConfig = {
        ...(b as unknown as AccountConfig),
        appId: need(b, 'appId'),
        secret: need(b, 'secret'),
        token: need(b, 'token'),
      };
      if (config.mode && !['plaintext', 'compatible', 'safe'].includes(config.mode)) {
        throw new ControlError(400, `mode must be plaintext, compatible or safe`);
      }
      if (config.mode && config.mode !== 'plaintext' && !config.aesKey) {
        throw new ControlError(400, `${config.mode} mode needs aesKey`);
      }
      return s.summary(s.register(config));
    },
  ],
  [
    'GET',
    /^\/__sandbox\/accounts$/,
    (s) => ({ accounts: [...s.accounts.values()].map((a) => s.summary(a)) }),
  ],
  ['GET', /^\/__sandbox\/accounts\/([^/]+)$/, (s, [appId]) => s.summary(account(s, appId!))],
  [
    'POST',
    /^\/__sandbox\/reset$/,
    (s, _p, b) => {
      if (typeof b.appId === 'string') {
        const a = account(s, b.appId);
        invalidateTokens(s, a.appId, 'revoke', s.now());
        s.accounts.delete(a.appId);
        s.register({ ...a, limits: a.limits, callbackUrl: a.callbackUrl ?? undefined });
      } else {
        s.reset();
      }
      return { ok: true };
    },
  ],
  [
    'GET',
    /^\/__sandbox\/calls$/,
    (s, _p, _b, q) => ({
      calls: s.calls.filter(
        (c) =>
          (!q.get('appId') || c.appId === q.get('appId')) &&
          (!q.get('path') || c.path === q.get('path')) &&
          (!q.get('since') || c.seq > Number(q.get('since'))),
      ),
    }),
  ],
  ['DELETE', /^\/__sandbox\/calls$/, (s) => ((s.calls = []), { ok: true })],
  [
    'POST',
    /^\/__sandbox\/faults$/,
    (s, _p, b) => s.addFault({ ...(b as unknown as FaultSpec), path: need(b, 'path') }),
  ],
  ['GET', /^\/__sandbox\/faults$/, (s) => ({ faults: s.faults })],
  ['DELETE', /^\/__sandbox\/faults$/, (s) => ((s.faults = []), { ok: true })],
  [
    'POST',
    /^\/__sandbox\/tokens\/invalidate$/,
    (s, _p, b) => {
      const appId = account(s, need(b, 'appId')).appId;
      const how = b.how === 'expire' ? 'expire' : 'revoke';
      return { invalidated: invalidateTokens(s, appId, how, s.now()) };
    },
  ],
  ['GET', /^\/__sandbox\/clock$/, (s) => ({ now: s.now(), offsetMs: s.offsetMs })],
  [
    'POST',
    /^\/__sandbox\/clock$/,
    (s, _p, b) => {
      if (typeof b.offsetMs === 'number') s.offsetMs = b.offsetMs;
      else if (typeof b.advanceMs === 'number') s.offsetMs += b.advanceMs;
      else throw new ControlError(400, 'offsetMs or advanceMs (number) is required');
      return { now: s.now(), offsetMs: s.offsetMs };
    },
  ],
  [
    'POST',
    /^\/__sandbox\/accounts\/([^/]+)\/followers$/,
    (s, [appId], b) => {
      const a = account(s, appId!);
      const seed = b as unknown as SeedFollower;
      const f = a.followers.get(need(b, 'openid')) ?? newFollower(seed.openid, s.now());
      if (seed.subscribed !== undefined) f.subscribed = seed.subscribed;
      if (seed.subscribeScene) f.subscribeScene = seed.subscribeScene;
      if (seed.unionid) f.unionid = seed.unionid;
      if (seed.language) f.language = seed.language;
      if (seed.massThisMonth !== undefined) {
        const n = Math.max(0, Math.floor(Number(seed.massThisMonth)));
        f.massReceived = Array.from({ length: n }, () => s.now());
      }
      if (seed.tags) {
        const unknown = seed.tags.filter((t) => !a.tags.has(t));
        if (unknown.length > 0) throw new ControlError(400, `unknown tag ids ${unknown.join(',')}`);
        f.tags = [...seed.tags];
      }
      a.followers.set(f.openid, f);
      return followerView(f);
    },
  ],
  [
    // Many subscribed followers at once: `<prefix><n>` for n in [start, start + count), zero-padded.
    'POST',
    /^\/__sandbox\/accounts\/([^/]+)\/followers\/bulk$/,
    (s, [appId], b) => {
      const a = account(s, appId!);
      const prefix = need(b, 'prefix');
      const count = Number(b.count);
      const start = b.start === undefined ? 0 : Number(b.start);
      if (!Number.isInteger(count) || count < 1 || count > 200_000)
        throw new ControlError(400, 'count must be an integer from 1 to 200000');
      if (!Number.isInteger(start) || start < 0)
        throw new ControlError(400, 'start must be a non-negative integer');
      const tags = Array.isArray(b.tags) ? b.tags.map(Number) : [];
      const unknown = tags.filter((t) => !a.tags.has(t));
      if (unknown.length > 0) throw new ControlError(400, `unknown tag ids ${unknown.join(',')}`);
      const width = String(start + count - 1).length;
      for (let n = start; n < start + count; n++) {
        const openid = `${prefix}${String(n).padStart(width, '0')}`;
        const f = a.followers.get(openid) ?? newFollower(openid, s.now());
        f.subscribed = true;
        f.tags = [...tags];
        a.followers.set(openid, f);
      }
      return { seeded: count, followers: a.followers.size };
    },
  ],
  [
    'GET',
    /^\/__sandbox\/accounts\/([^/]+)\/followers\/([^/]+)$/,
    (s, [appId, openid]) => {
      const a = account(s, appId!);
      const f = a.followers.get(decodeURIComponent(openid!));
      if (!f) throw new ControlError(404, `unknown follower ${openid}`);
      return { ...followerView(f), info: userInfo(f), menu: matchMenu(a, f) };
    },
  ],
  [
    'GET',
    /^\/__sandbox\/accounts\/([^/]+)\/templates$/,
    (s, [appId]) => ({
      templates: [...account(s, appId!).templates.values()].map(templateJson),
    }),
  ],
  [
    'POST',
    /^\/__sandbox\/accounts\/([^/]+)\/templates$/,
    (s, [appId], b) => {
      const a = account(s, appId!);
      const seed: SeedTemplate = {
        title: need(b, 'title'),
        content: need(b, 'content'),
        ...(typeof b.templateId === 'string' && b.templateId ? { templateId: b.templateId } : {}),
        ...(typeof b.example === 'string' ? { example: b.example } : {}),
        ...(typeof b.primaryIndustry === 'string' ? { primaryIndustry: b.primaryIndustry } : {}),
        ...(typeof b.deputyIndustry === 'string' ? { deputyIndustry: b.deputyIndustry } : {}),
      };
      const added = addTemplate(a, seed);
      if (!added)
        throw new ControlError(409, `the account already has ${TEMPLATES_PER_ACCOUNT} templates`);
      return templateJson(added);
    },
  ],
  [
    'DELETE',
    /^\/__sandbox\/accounts\/([^/]+)\/templates\/([^/]+)$/,
    (s, [appId, id]) => {
      const a = account(s, appId!);
      if (!a.templates.delete(decodeURIComponent(id!)))
        throw new ControlError(404, `unknown template ${id}`);
      return { ok: true };
    },
  ],
  [
    'GET',
    /^\/__sandbox\/accounts\/([^/]+)\/messages$/,
    (s, [appId], _b, q) => ({
      messages: s.sent.filter(
        (m) => m.appId === appId && (!q.get('touser') || m.touser === q.get('touser')),
      ),
    }),
  ],
  [
    'GET',
    /^\/__sandbox\/accounts\/([^/]+)\/mass$/,
    (s, [appId], _b, q): MassView => {
      const a = account(s, appId!);
      const receivedThisMonth: Record<string, number> = {};
      for (const f of a.followers.values()) {
        const n = massThisMonth(f, s.now());
        if (n > 0 && (!q.get('openid') || f.openid === q.get('openid')))
          receivedThisMonth[f.openid] = n;
      }
      return { sends: a.massSends, receivedThisMonth };
    },
  ],
  [
    'GET',
    /^\/__sandbox\/deliveries$/,
    (s, _p, _b, q) => ({
      deliveries: s.deliveries.filter((d) => !q.get('appId') || d.appId === q.get('appId')),
    }),
  ],
];

/** Routes that await (the simulator POSTs to the app). */
const SIMULATE = /^\/__sandbox\/accounts\/([^/]+)\/simulate\/([a-z]+)$/;

export async function handleControl(
  state: SandboxState,
  method: string,
  path: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Promise<ControlReply> {
  try {
    const sim = method === 'POST' ? SIMULATE.exec(path) : null;
    if (sim) {
      const kind = sim[2] as SimulateKind;
      if (!SIMULATE_KINDS.has(kind)) throw new ControlError(404, `unknown simulation ${kind}`);
      return {
        status: 200,
        json: await simulate(
          state,
          decodeURIComponent(sim[1]!),
          kind,
          body as unknown as SimulateRequest,
        ),
      };
    }
    for (const [m, pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (match && m === method)
        return { status: 200, json: handler(state, match.slice(1), body, query) };
    }
    return { status: 404, json: { error: `no control route ${method} ${path}` } };
  } catch (err) {
    if (err instanceof ControlError || err instanceof SimulateError) {
      return { status: err.status, json: { error: err.message } };
    }
    throw err;
  }
}
