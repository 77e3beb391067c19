/**
 * The use cases, wired over one set of dependencies. Routes (through app/lib/services.server.ts),
 * the CLI and tests build them with `createServices({ db, … })` (services/deps.ts says what
 * each dependency is for).
 */
import { createChannelStats, createFlowStats } from './analytics/stats';
import { createFollowerTimeline } from './analytics/timeline';
import { createApiKeys } from './api-keys';
import { createAudit } from './audit';
import { createAccount } from './auth/account';
import { createInvitations } from './auth/invitations';
import { createLogin } from './auth/login';
import { createSessions } from './auth/sessions';
import { createSetup } from './auth/setup';
import { createLoginThrottle } from './auth/throttle';
import { createUsers } from './auth/users';
import { createBrands } from './brands';
import { createBrandSettings } from './brands/settings';
import { createCoupons } from './coupons';
import type { ServiceDeps } from './deps';
import { createEventsApi } from './events-api';
import { createFlows } from './flows';
import { createFlowTemplates } from './flow-templates';
import { createMembers } from './members';
import { createTeam } from './members/team';
import { createMenus } from './menus';
import { createQr } from './qr';
import { createTags } from './tags';
import { createMessageTemplates } from './templates';
import { createTestSends } from './test-sends';
import type { ResourceDeps } from './wechat/calls';
import { createWechatClients, type WechatClients } from './wechat/clients';

export function createServices(deps: ServiceDeps) {
  const audit = createAudit(deps);
  const users = createUsers(deps);
  const sessions = createSessions(deps);
  const throttle = createLoginThrottle(deps);
  const members = createMembers({ ...deps, users, audit });
  const { memberships, organizations } = members;
  const resources: ResourceDeps = {
    db: deps.db,
    wechat: deps.wechat ?? lazyWechatClients(deps),
    apiBase: deps.wechatApiBase,
    onWechatError: deps.onWechatError,
  };
  return {
    audit,
    users,
    sessions,
    throttle,
    members,
    login: createLogin({ users, sessions, throttle }),
    account: createAccount({ users, sessions, audit }),
    setup: createSetup({ ...deps, users, organizations, memberships, audit }),
    invitations: createInvitations({ ...deps, users, memberships, audit }),
    team: createTeam({ ...deps, memberships, audit }),
    brands: createBrands({ ...deps, memberships, audit }),
    apiKeys: createApiKeys({ ...deps, memberships, audit }),
    messageTemplates: createMessageTemplates({ ...deps, memberships, audit }),
    flows: createFlows(deps),
    flowTemplates: createFlowTemplates({ ...deps, audit, memberships, organizations }),
    analytics: {
      flowStats: createFlowStats(deps),
      followers: createFollowerTimeline(deps),
      channels: createChannelStats(deps),
    },
    eventsApi: createEventsApi(deps),
    tags: createTags(resources),
    coupons: createCoupons(deps),
    menus: createMenus(resources),
    qr: createQr(resources),
    brandSettings: createBrandSettings(deps),
    testSends: createTestSends({ ...deps, memberships, audit, wechat: resources.wechat }),
    /** The brand's WeChat clients the resource use cases call (the web app's shared set). */
    wechat: resources.wechat,
  };
}

/** WeChat clients built on first use: only the resource use cases need them (and the key). */
function lazyWechatClients(deps: ServiceDeps): WechatClients {
  let clients: WechatClients | undefined;
  return {
    forBrand(brandId) {
      if (!deps.box) throw new Error('WeChat clients need FANFARE_SECRET_KEY (deps.box)');
      clients ??= createWechatClients({
        db: deps.db,
        box: deps.box,
        apiBase: deps.wechatApiBase,
        fetch: deps.fetch,
      });
      return clients.forBrand(brandId);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
export { ServiceError } from './errors';
export { OPERATOR, type Actor } from './deps';
