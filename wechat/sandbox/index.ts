/**
 * The WeChat sandbox: a fake Official Account platform on node:http speaking the real
 * protocol (paths, errcodes, limits) with in-memory state, plus a control API under
 * /__sandbox/ for tests and the dev simulator. Listens on 127.0.0.1 unless told otherwise.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiReply, type ApiRoute, ApiFail } from './api/common';
import { massRoutes } from './api/mass';
import { menuRoutes } from './api/menus';
import { messageRoutes } from './api/messages';
import { tagRoutes } from './api/tags';
import { templateRoutes } from './api/templates';
import { authenticate, tokenRoutes } from './api/tokens';
import { userRoutes } from './api/users';
import { parseJsonSafe } from '../json';
import { handleControl } from './control-routes';
import { SandboxState } from './state';
import type { CallRecord } from './types';

export { SandboxState } from './state';
export * from './types';

const MAX_BODY_BYTES = 1024 * 1024;
const API_ROUTES: ApiRoute[] = [
  ...tokenRoutes,
  ...userRoutes,
  ...tagRoutes,
  ...menuRoutes,
  ...messageRoutes,
  ...massRoutes,
  ...templateRoutes,
];

export interface SandboxOptions {
  port: number;
  host?: string;
  /** Base clock in ms (default Date.now); the control API adds an offset. */
  clock?: () => number;
  /** Called after every API call (for logging). */
  onCall?: (call: CallRecord) => void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  state: SandboxState;
  stop(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json; encoding=utf-8',
) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const state = new SandboxState(options.clock);
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => (timers.delete(t), resolve()), ms);
      timers.add(t);
    });

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, raw: string) {
    const started = Date.now();
    const now = state.now();
    const path = url.pathname;
    const route = API_ROUTES.find((r) => r.path === path);
    let body: unknown = undefined;
    let status = 200;
    let text: string;
    let faultId: number | null = null;
    const tokenEntry = state.tokens.get(url.searchParams.get('access_token') ?? '');
    let appId = tokenEntry?.appId ?? null;
    try {
      if (raw.trim() !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
          throw new ApiFail(47001, 'data format error');
        }
      }
      if (
        !appId &&
        body &&
        typeof body === 'object' &&
        typeof (body as { appid?: unknown }).appid === 'string'
      ) {
        appId = (body as { appid: string }).appid;
      }
      appId ??= url.searchParams.get('appid');
      const fault = state.takeFault(path, appId);
      if (fault) {
        faultId = fault.id;
        if (fault.delayMs > 0) await sleep(fault.delayMs);
        if (fault.httpStatus) {
          status = fault.httpStatus;
          throw new ApiFail(-1, `sandbox fault: HTTP ${fault.httpStatus}`);
        }
        if (fault.errcode !== null)
          throw new ApiFail(fault.errcode, fault.errmsg ?? 'sandbox fault');
      }
      if (!route) {
        status = 404;
        throw new ApiFail(-1, `sandbox: no endpoint ${path}`);
      }
      if (route.method !== req.method) {
        throw route.method === 'POST'
          ? new ApiFail(43002, 'require POST method')
          : new ApiFail(43001, 'require GET method');
      }
      if (route.method === 'POST' && raw.trim() === '') throw new ApiFail(44002, 'empty post data');
      const account = route.auth
        ? authenticate(state, url.searchParams.get('access_token'), now)
        : null;
      const reply: ApiReply = route.handler({ state, account, query: url.searchParams, body, now });
      text = 'raw' in reply ? reply.raw : JSON.stringify(reply.json);
    } catch (err) {
      if (!(err instanceof ApiFail)) throw err;
      text = JSON.stringify({
        errcode: err.errcode,
        errmsg: `${err.errmsg} rid: sandbox-${state.nextSeq()}`,
      });
    }
    const response = parseJsonSafe(text) as Record<string, unknown>;
    const query = Object.fromEntries(url.searchParams);
    const call: CallRecord = {
      seq: state.nextSeq(),
      time: now,
      method: req.method ?? 'GET',
      path,
      query,
      appId,
      body: body ?? null,
      status,
      response,
      errcode: typeof response.errcode === 'number' ? response.errcode : 0,
      durationMs: Date.now() - started,
      faultId,
    };
    state.record('calls', call);
    options.onCall?.(call);
    if (status >= 500)
      send(res, status, `<html><body>${status} sandbox fault</body></html>`, 'text/html');
    else send(res, status, text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return send(res, 413, JSON.stringify({ errcode: 47001, errmsg: 'body too large' }));
      throw err;
    }
    if (url.pathname.startsWith('/__sandbox/')) {
      let body: Record<string, unknown> = {};
      if (raw.trim() !== '') {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
            body = parsed as Record<string, unknown>;
          else return send(res, 400, JSON.stringify({ error: 'body must be a JSON object' }));
        } catch {
          return send(res, 400, JSON.stringify({ error: 'body is not JSON' }));
        }
      }
      const reply = await handleControl(
        state,
        req.method ?? 'GET',
        url.pathname,
        url.searchParams,
        body,
      );
      return send(res, reply.status, JSON.stringify(reply.json));
    }
    return api(req, res, url, raw);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: (err as Error).message }));
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
