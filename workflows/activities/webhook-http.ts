/**
 * The webhook's HTTP POST, guarded against reaching inside (SSRF): the host is checked when it
 * is an IP literal, and otherwise every address its name resolves to is checked in the socket's
 * own `lookup` — the address checked is the address connected to (no second resolution for a
 * rebinding name to change), while the Host header and TLS SNI keep the name. Redirects are not
 * followed; the call has a deadline and reads at most `maxResponseBytes` of the answer.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, refusedAddress, type RefusedTarget } from '../../engine/net';

export interface WebhookOptions {
  /** WEBHOOK_ALLOW_HOSTS: hosts and networks allowed although inside. */
  allowList?: readonly string[];
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Resolves a name to its addresses (tests point a name inside); default: the system's. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, maxResponseBytes: 1_048_576 };

/** The target is inside a private network and not allowed: never retried. */
export class WebhookRefusedError extends Error {
  readonly code = 'E_WEBHOOK_REFUSED';
  constructor(readonly target: RefusedTarget) {
    super(`${target.host} is ${target.address} (${target.category}): not allowed for webhooks`);
    this.name = 'WebhookRefusedError';
  }
}

export interface WebhookResponse {
  status: number;
  /** Bytes of the answer read (at most maxResponseBytes). */
  bytes: number;
  /** The answer was longer than maxResponseBytes; the rest was not read. */
  truncated: boolean;
}

const systemResolve = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** A `lookup` for the socket that refuses a name resolving to any address inside. */
function guardedLookup(
  allowList: readonly string[],
  resolve: (host: string) => Promise<LookupAddress[]>,
): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (found) => {
        const family =
          options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family ? found.filter((a) => a.family === family) : found;
        for (const a of addresses) {
          const refused = refusedAddress(allowList, hostname, a.address);
          if (refused) return callback(new WebhookRefusedError(refused));
        }
        if (addresses.length === 0) {
          const error = Object.assign(new Error(`${hostname} has no address`), {
            code: 'ENOTFOUND',
          });
          return callback(error);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

export async function postWebhook(
  url: string,
  init: { headers: Record<string, string>; body: string },
  options: WebhookOptions = {},
): Promise<WebhookResponse> {
  const allowList = options.allowList ?? [];
  const timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
  const maxBytes = options.maxResponseBytes ?? WEBHOOK_DEFAULTS.maxResponseBytes;
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new Error(`not an http(s) URL: ${target.protocol}`);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // The socket connects to an IP literal without a lookup: check it here.
  if (isIpLiteral(host)) {
    const refused = refusedAddress(allowList, host, host);
    if (refused) throw new WebhookRefusedError(refused);
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
    lookup: guardedLookup(allowList, options.resolve ?? systemResolve),
    // One connection per call: a pooled socket was checked for another call.
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
  };
  return new Promise<WebhookResponse>((resolve, reject) => {
    const req = request(target, requestOptions, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      let bytes = 0;
      let done = false;
      const finish = (truncated: boolean) => {
        done = true;
        resolve({ status, bytes, truncated });
      };
      res.on('data', (chunk: Buffer) => {
        if (done) return;
        bytes += chunk.length;
        if (bytes > maxBytes) {
          bytes = maxBytes;
          finish(true);
          res.destroy();
        }
      });
      res.on('end', () => finish(false));
      res.on('error', (error) => {
        if (!done) reject(error);
      });
      res.on('close', () => {
        if (!done) reject(new Error(`${target.host} closed the response early`));
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
