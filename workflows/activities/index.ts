import type { Db } from '../../db/client';
import type { SecretBox } from '../../services/secrets';
import type { EnterJourneys } from '../journey-types';
import type { WebhookOptions } from './webhook-http';
import { bookkeepingActivities } from './bookkeeping';
import { couponActivities } from './coupons';
import { followersImportActivities } from './followers-import';
import { helloActivities } from './hello';
import { massActivities } from './mass';
import { profileActivities } from './profile';
import { pushActivities } from './push';
import { sweepActivities } from './sweeps';
import { tagActivities } from './tags';
import { createWechatClients, type WechatClients } from '../../services/wechat/clients';

export interface ActivityDeps {
  db: Db;
  box: SecretBox;
  /** Defaults to clients built from the brands table with WECHAT_API_BASE. */
  wechat?: WechatClients;
  wechatApiBase?: string;
  fetch?: typeof fetch;
  /** Starts journeys (the router's `enterMany`): date sweeps need it. */
  enterMany?: EnterJourneys;
  /** action.webhook: the operator's allow-list, the deadline and the response cap. */
  webhook?: WebhookOptions;
}

/** Activities are built from their dependencies, so tests and the worker wire them alike. */
export function createActivities(deps: ActivityDeps) {
  const wechat =
    deps.wechat ?? createWechatClients({ db: deps.db, box: deps.box, apiBase: deps.wechatApiBase });
  const withWechat = { db: deps.db, wechat };
  return {
    ...helloActivities(deps),
    ...bookkeepingActivities(deps),
    ...couponActivities(deps),
    ...tagActivities(withWechat),
    ...pushActivities(withWechat),
    ...massActivities(withWechat),
    ...followersImportActivities(withWechat),
    ...profileActivities(deps),
    ...sweepActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
