/** Typed client for the sandbox control API (tests, the dev simulator, the dev orchestrator). */
import type {
  AccountConfig,
  AccountSummary,
  CallRecord,
  Delivery,
  Fault,
  FaultSpec,
  FollowerView,
  MassView,
  SeedFollower,
  SeedTemplate,
  SentMessage,
  SimulateKind,
  SimulateRequest,
  SimulateResult,
} from './types';
import type { MenuButton, PrivateTemplate, UserInfo } from '../api-types';

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FollowerDetails extends FollowerView {
  info: UserInfo;
  menu: { button: MenuButton[]; menuid: string } | null;
}

type SimulateArgs = Omit<SimulateRequest, 'openid'>;

export class SandboxControl {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, options: { fetch?: typeof fetch } = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    const url = new URL(`${this.base}/__sandbox${path}`);
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const res = await this.fetchImpl(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const error = (json as { error?: string } | null)?.error ?? text;
      throw new SandboxControlError(
        res.status,
        `sandbox ${method} ${path}: ${res.status} ${error}`,
      );
    }
    return json as T;
  }

  health(): Promise<{ ok: true }> {
    return this.call('GET', '/health');
  }
  registerAccount(config: AccountConfig): Promise<AccountSummary> {
    return this.call('POST', '/accounts', config);
  }
  account(appId: string): Promise<AccountSummary> {
    return this.call('GET', `/accounts/${encodeURIComponent(appId)}`);
  }
  async accounts(): Promise<AccountSummary[]> {
    return (await this.call<{ accounts: AccountSummary[] }>('GET', '/accounts')).accounts;
  }
  /** Everything, or one account's state (its registration is kept). */
  async reset(appId?: string): Promise<void> {
    await this.call('POST', '/reset', appId ? { appId } : {});
  }
  async calls(
    filter: { appId?: string; path?: string; since?: number } = {},
  ): Promise<CallRecord[]> {
    return (await this.call<{ calls: CallRecord[] }>('GET', '/calls', undefined, filter)).calls;
  }
  async clearCalls(): Promise<void> {
    await this.call('DELETE', '/calls');
  }
  injectFault(spec: FaultSpec): Promise<Fault> {
    return this.call('POST', '/faults', spec);
  }
  async faults(): Promise<Fault[]> {
    return (await this.call<{ faults: Fault[] }>('GET', '/faults')).faults;
  }
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }
  /** revoke → later calls get 40001; expire → 42001. */
  async invalidateTokens(appId: string, how: 'revoke' | 'expire' = 'revoke'): Promise<number> {
    return (await this.call<{ invalidated: number }>('POST', '/tokens/invalidate', { appId, how }))
      .invalidated;
  }
  clock(): Promise<{ now: number; offsetMs: number }> {
    return this.call('GET', '/clock');
  }
  advanceClock(ms: number): Promise<{ now: number; offsetMs: number }> {
    return this.call('POST', '/clock', { advanceMs: ms });
  }
  setClockOffset(offsetMs: number): Promise<{ now: number; offsetMs: number }> {
    return this.call('POST', '/clock', { offsetMs });
  }
  seedFollower(appId: string, follower: SeedFollower): Promise<FollowerView> {
    return this.call('POST', `/accounts/${encodeURIComponent(appId)}/followers`, follower);
  }
  /** `count` subscribed followers `<prefix><n>` (n zero-padded from `start`), optionally tagged. */
  seedFollowers(
    appId: string,
    bulk: { prefix: string; count: number; start?: number; tags?: number[] },
  ): Promise<{ seeded: number; followers: number }> {
    return this.call('POST', `/accounts/${encodeURIComponent(appId)}/followers/bulk`, bulk);
  }
  follower(appId: string, openid: string): Promise<FollowerDetails> {
    return this.call(
      'GET',
      `/accounts/${encodeURIComponent(appId)}/followers/${encodeURIComponent(openid)}`,
    );
  }
  async sentMessages(appId: string, touser?: string): Promise<SentMessage[]> {
    return (
      await this.call<{ messages: SentMessage[] }>(
        'GET',
        `/accounts/${encodeURIComponent(appId)}/messages`,
        undefined,
        {
          touser,
        },
      )
    ).messages;
  }
  /** The account's private templates, in WeChat's shape. */
  async templates(appId: string): Promise<PrivateTemplate[]> {
    return (
      await this.call<{ templates: PrivateTemplate[] }>(
        'GET',
        `/accounts/${encodeURIComponent(appId)}/templates`,
      )
    ).templates;
  }
  /** Adds a private template (as api_add_template would); an id is made up when none is given. */
  addTemplate(appId: string, template: SeedTemplate): Promise<PrivateTemplate> {
    return this.call('POST', `/accounts/${encodeURIComponent(appId)}/templates`, template);
  }
  async deleteTemplate(appId: string, templateId: string): Promise<void> {
    await this.call(
      'DELETE',
      `/accounts/${encodeURIComponent(appId)}/templates/${encodeURIComponent(templateId)}`,
    );
  }
  /** The account's mass sends (who received, who was filtered) and per fan how many this month. */
  mass(appId: string): Promise<MassView> {
    return this.call('GET', `/accounts/${encodeURIComponent(appId)}/mass`);
  }
  async deliveries(appId?: string): Promise<Delivery[]> {
    return (await this.call<{ deliveries: Delivery[] }>('GET', '/deliveries', undefined, { appId }))
      .deliveries;
  }

  simulate(
    appId: string,
    kind: SimulateKind,
    openid: string,
    args: SimulateArgs = {},
  ): Promise<SimulateResult> {
    return this.call('POST', `/accounts/${encodeURIComponent(appId)}/simulate/${kind}`, {
      ...args,
      openid,
    });
  }
  follow(
    appId: string,
    openid: string,
    args: Pick<SimulateArgs, 'scene' | 'ticket' | 'attempts' | 'timeoutMs' | 'duplicate'> = {},
  ) {
    return this.simulate(appId, 'follow', openid, args);
  }
  unfollow(appId: string, openid: string, args: SimulateArgs = {}) {
    return this.simulate(appId, 'unfollow', openid, args);
  }
  scan(appId: string, openid: string, scene: string, args: SimulateArgs = {}) {
    return this.simulate(appId, 'scan', openid, { ...args, scene });
  }
  text(appId: string, openid: string, content: string, args: SimulateArgs = {}) {
    return this.simulate(appId, 'text', openid, { ...args, content });
  }
  click(appId: string, openid: string, key: string, args: SimulateArgs = {}) {
    return this.simulate(appId, 'click', openid, { ...args, key });
  }
  view(appId: string, openid: string, url: string, args: SimulateArgs = {}) {
    return this.simulate(appId, 'view', openid, { ...args, url });
  }
  location(
    appId: string,
    openid: string,
    at: { latitude: number; longitude: number; precision?: number },
    args: SimulateArgs = {},
  ) {
    return this.simulate(appId, 'location', openid, { ...args, ...at });
  }
}
