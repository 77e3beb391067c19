/**
 * What every use case is built over. Each service is a factory `(deps) => …`; routes, the CLI
 * and tests build it once with their own database (and, in tests, their own clock).
 */
import type postgres from 'postgres';
import type { Db } from '../db/client';
import type { SecretBox } from './secrets';
import type { WechatClients } from './wechat/clients';

/** The database, or a transaction on it: functions that write take either. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface ServiceDeps {
  db: Db;
  /** The clock; tests pass a fixed or moving one. */
  now?: () => Date;
  /**
   * Seals and opens brand credentials (FANFARE_SECRET_KEY). Only the brand use cases need it;
   * they refuse to run without it.
   */
  box?: SecretBox;
  /** WECHAT_API_BASE (the sandbox in development); a brand's own API base wins. */
  wechatApiBase?: string;
  /** For tests that fake WeChat's transport. */
  fetch?: typeof fetch;
  /**
   * A WeChat client per brand for the resource use cases (tags, menus, QR). Left out, one set
   * is built over `db`, `box`, `wechatApiBase` and `fetch` on first use.
   */
  wechat?: WechatClients;
  /** Server-side log of a WeChat call a resource use case could not make (the UI shows a sentence). */
  onWechatError?: (error: unknown, context: { brandId: string; action: string }) => void;
  /** WEBHOOK_ALLOW_HOSTS: the private hosts a flow's webhook may call (validation, publish). */
  webhookAllowList?: readonly string[];
}

/**
 * The postgres.js client under `deps.db` (db/client.ts's connect builds the one over the
 * other), for the few queries written in plain SQL.
 */
export const rawSql = (deps: ServiceDeps): postgres.Sql =>
  (deps.db as Db & { $client: postgres.Sql }).$client;

export const clockOf = (deps: ServiceDeps): (() => Date) => deps.now ?? (() => new Date());

/** Who is acting: a signed-in user, or the operator through the CLI (full rights). */
export type Actor = { kind: 'user'; userId: string; email: string } | { kind: 'operator' };

export const OPERATOR: Actor = { kind: 'operator' };

/** The label the audit log shows for an actor (kept even after the user is deleted). */
export const actorLabel = (actor: Actor): string =>
  actor.kind === 'user' ? actor.email : 'operator (CLI)';
