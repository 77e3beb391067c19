/**
 * The load generator of `bench/ingest.ts`, in its own process so that it does not share an
 * event loop with the server it measures. Precomputes signed WeChat callbacks (40 % subscribe
 * with a QR scene, 30 % SCAN, 30 % text; every one a new event: its own FromUserName and
 * MsgId), fires them with autocannon — each request takes the next one from the pool — and
 * writes the summary, plus the dedupe keys of every push answered 2xx, to `out`.
 *
 * Config: the JSON in BENCH_CANNON (see CannonConfig). Only 127.0.0.1 targets are accepted.
 */
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { dedupeKey, parseInboundMessage } from '../../wechat/messages';
import { buildPush } from '../../wechat/sandbox/push';
import { parseWechatXml } from '../../wechat/xml';

export interface CannonConfig {
  /** http://127.0.0.1:<port> */
  url: string;
  /** /wechat/<slug> */
  path: string;
  token: string;
  appId: string;
  /** Distinguishes this run's openids and MsgIds from every other run's. */
  tag: string;
  /** MsgIds of this run's text messages are msgIdBase + i (decimal string). */
  msgIdBase: string;
  connections: number;
  durationSec: number;
  /** How many distinct pushes to precompute; beyond that the pool wraps (reported). */
  pool: number;
  /** Where the CannonOutput JSON goes. */
  out: string;
  /** Report the dedupe keys of the pushes answered 2xx. */
  keys: boolean;
}

export interface CannonOutput {
  durationSec: number;
  sent: number;
  answered2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  eventsPerSec: number;
  latency: { p50: number; p90: number; p99: number; avg: number; max: number };
  poolUsed: number;
  poolWrapped: boolean;
  keys?: string[];
}

const config = JSON.parse(process.env.BENCH_CANNON ?? 'null') as CannonConfig | null;
if (!config) throw new Error('BENCH_CANNON is not set');
if (new URL(config.url).hostname !== '127.0.0.1') throw new Error('loopback targets only');

interface Prepared {
  path: string;
  body: string;
}

function prepare(i: number, createTime: number): Prepared {
  const openid = `o_${config!.tag}_${i}`;
  const common = { ToUserName: 'gh_bench', FromUserName: openid, CreateTime: createTime };
  const store = `store_${i % 50}`;
  const kind = i % 10;
  const fields =
    kind < 4
      ? {
          ...common,
          MsgType: 'event',
          Event: 'subscribe',
          EventKey: `qrscene_${store}`,
          Ticket: `gQ_${store}`,
        }
      : kind < 7
        ? { ...common, MsgType: 'event', Event: 'SCAN', EventKey: store, Ticket: `gQ_${store}` }
        : {
            ...common,
            MsgType: 'text',
            Content: `hello ${i}`,
            MsgId: (BigInt(config!.msgIdBase) + BigInt(i)).toString(),
          };
  const push = buildPush({ token: config!.token, appId: config!.appId, mode: 'plaintext' }, fields);
  return { path: `${config!.path}?${new URLSearchParams(push.query)}`, body: push.body };
}

const createTime = Math.floor(Date.now() / 1000);
const pool: Prepared[] = Array.from({ length: config.pool }, (_, i) => prepare(i, createTime));
let cursor = 0;
const answered = new Set<number>();

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.durationSec,
  timeout: 10,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      setupRequest(request, context) {
        const i = cursor++ % pool.length;
        context.i = i;
        const p = pool[i]!;
        return { ...request, method: 'POST', path: p.path, body: p.body };
      },
      onResponse(status, _body, context) {
        if (status >= 200 && status < 300) answered.add(context.i as number);
      },
    },
  ],
});

const keys = config.keys
  ? [...answered].map((i) => {
      const body = pool[i]!.body;
      const parsed = parseInboundMessage(parseWechatXml(body));
      if (!parsed.ok) throw new Error(`push ${i} does not parse: ${parsed.issues.join('; ')}`);
      return dedupeKey(parsed.message);
    })
  : undefined;

const output: CannonOutput = {
  durationSec: result.duration,
  sent: result.requests.sent,
  answered2xx: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  eventsPerSec: result['2xx'] / result.duration,
  latency: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    avg: result.latency.average,
    max: result.latency.max,
  },
  poolUsed: Math.min(cursor, pool.length),
  poolWrapped: cursor > pool.length,
  ...(keys ? { keys } : {}),
};
writeFileSync(config.out, JSON.stringify(output));
