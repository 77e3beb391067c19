/**
 * W_CS_WINDOW: pushes that would need a customer-service quota WeChat may not have open
 * (engine/quota.ts; docs/product.md#validation-codes). Each path from a trigger is followed
 * with what is certain on it: the time left of the quota (the trigger's or a `wait.event`'s
 * fan action opens one; waits use it up) and the messages left (every push that may go out
 * as a customer-service message spends one). A node keeps the worst and the best over the
 * paths reaching it; a push is reported when the worst path has no quota left and the push
 * has no template fallback to send instead.
 */
import { issue, type Issue, type LocalizedText } from '../issues';
import { fieldLabel, optionLabel, stepName } from '../labels';
import { QUOTA_RULES, type QuotaKind } from '../quota';
import { cap, type GraphModel, type NodeInfo } from './model';

/** Over the paths reaching a node: the least and the most time and messages left. */
interface Reach {
  minMs: number;
  maxMs: number;
  minLeft: number;
  maxLeft: number;
  /** A trigger that opens no quota, reaching here with no fan action on the way. */
  closedFrom: string | null;
  /** The kinds of the last opening on the paths reaching here (for the message's words). */
  opened: ReadonlySet<QuotaKind>;
}

interface PushConfig {
  channel?: string;
  message?: { type?: string };
  fallback?: unknown;
}

/** A push that goes out as a customer-service message when it can (spending the quota). */
function usesCustomerService(info: NodeInfo): boolean {
  if (info.kind !== 'action.push' || info.config === undefined) return false;
  const c = info.config as PushConfig;
  return c.channel !== 'template' && c.message?.type !== 'template';
}

function merge(a: Reach | undefined, b: Reach): Reach {
  if (!a) return b;
  return {
    minMs: Math.min(a.minMs, b.minMs),
    maxMs: Math.max(a.maxMs, b.maxMs),
    minLeft: Math.min(a.minLeft, b.minLeft),
    maxLeft: Math.max(a.maxLeft, b.maxLeft),
    closedFrom: a.closedFrom ?? b.closedFrom,
    opened:
      b.opened.size && [...b.opened].some((k) => !a.opened.has(k))
        ? new Set([...a.opened, ...b.opened])
        : a.opened,
  };
}

const same = (a: Reach, b: Reach) =>
  a.minMs === b.minMs &&
  a.maxMs === b.maxMs &&
  a.minLeft === b.minLeft &&
  a.maxLeft === b.maxLeft &&
  a.closedFrom === b.closedFrom &&
  a.opened.size === b.opened.size;

export function checkServiceQuota(model: GraphModel, issues: Issue[]): void {
  const reach = new Map<string, Reach>();
  const queue: string[] = [];
  for (const t of model.order) {
    if (t.spec?.category !== 'trigger') continue;
    const kind = t.spec.opensQuota ?? null;
    const rule = kind ? QUOTA_RULES[kind] : null;
    reach.set(t.node.id, {
      minMs: rule?.withinMs ?? 0,
      maxMs: rule?.withinMs ?? 0,
      minLeft: rule?.messages ?? 0,
      maxLeft: rule?.messages ?? 0,
      closedFrom: rule ? null : t.node.id,
      opened: new Set(kind ? [kind] : []),
    });
    queue.push(t.node.id);
  }
  while (queue.length) {
    const id = queue.pop()!;
    const info = model.nodes.get(id)!;
    let here = reach.get(id)!;
    if (usesCustomerService(info)) {
      here = {
        ...here,
        minLeft: Math.max(0, here.minLeft - 1),
        maxLeft: Math.max(0, here.maxLeft - 1),
      };
    }
    for (const [port, to] of model.out.get(id) ?? []) {
      const effect =
        info.spec?.quota && info.config !== undefined
          ? info.spec.quota(info.config, port)
          : { waitMs: 0 };
      let there: Reach;
      if ('opens' in effect) {
        const rule = QUOTA_RULES[effect.opens];
        there = {
          // the later expiry wins; the count starts again
          minMs: Math.max(here.minMs, rule.withinMs),
          maxMs: Math.max(here.maxMs, rule.withinMs),
          minLeft: rule.messages,
          maxLeft: rule.messages,
          closedFrom: null,
          opened: new Set([effect.opens]),
        };
      } else {
        there = {
          ...here,
          minMs: Math.max(0, here.minMs - effect.waitMs),
          maxMs: Math.max(0, here.maxMs - effect.waitMs),
        };
      }
      const before = reach.get(to);
      const merged = merge(before, there);
      if (!before || !same(before, merged)) {
        reach.set(to, merged);
        queue.push(to);
      }
    }
  }

  const broadcastOnly = reachedOnlyByBroadcasts(model);
  for (const info of model.order) {
    const at = reach.get(info.node.id);
    if (!at || !usesCustomerService(info)) continue;
    const config = info.config as PushConfig;
    if (config.fallback) continue;
    // Reached only from audience broadcasts, an `auto` text or image push that finds no quota
    // goes out by mass send (docs/product.md#governance): it is not skipped.
    if (
      broadcastOnly.has(info.node.id) &&
      (config.channel ?? 'auto') === 'auto' &&
      MASSABLE.has(config.message?.type ?? '')
    )
      continue;
    const mayBeClosed = at.minMs <= 0 || at.minLeft <= 0;
    if (!mayBeClosed) continue;
    const always = at.maxMs <= 0 || at.maxLeft <= 0;
    issues.push(quotaIssue(model, info, at, config.channel === 'customer_service', always));
  }
}

/** What a mass send carries of a push's content (workflows/activities/push.ts). */
const MASSABLE: ReadonlySet<string> = new Set(['text', 'image']);

/** The nodes that only `trigger.audience` triggers reach. */
function reachedOnlyByBroadcasts(model: GraphModel): Set<string> {
  const byOther = new Set<string>();
  const byBroadcast = new Set<string>();
  for (const t of model.order) {
    if (t.spec?.category !== 'trigger') continue;
    const seen = t.node.kind === 'trigger.audience' ? byBroadcast : byOther;
    const queue = [t.node.id];
    while (queue.length) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const to of model.out.get(id)?.values() ?? []) queue.push(to);
    }
  }
  return new Set([...byBroadcast].filter((id) => !byOther.has(id)));
}

function quotaIssue(
  model: GraphModel,
  info: NodeInfo,
  at: Reach,
  customerServiceOnly: boolean,
  always: boolean,
): Issue {
  const name = stepName(info.node);
  const channel = fieldLabel('action.push', ['channel'])!;
  const auto = optionLabel('action.push', ['channel'], 'auto')!;
  const fallback = fieldLabel('action.push', ['fallback'])!;
  const { event, message } = QUOTA_RULES;
  const trigger = at.closedFrom ? model.nodes.get(at.closedFrom) : undefined;
  let why: LocalizedText;
  if (trigger) {
    const t = stepName(trigger.node);
    why = {
      en: `a follower entering at ${t.en} has done nothing that opens a customer-service quota (only a follow, a QR scan, a menu click or a message from the fan does)`,
      'zh-CN': `从${t['zh-CN']}进入的粉丝没有做出开启客服消息额度的操作（只有关注、扫码、点击菜单或粉丝发消息才会开启）`,
    };
  } else if (at.minLeft <= 0 && at.opened.size === 1) {
    const kind = [...at.opened][0]!;
    const n = QUOTA_RULES[kind].messages;
    why =
      kind === 'event'
        ? {
            en: `it can be customer-service message number ${n + 1} since a follow, scan or menu click, which allow ${n}`,
            'zh-CN': `它可能是关注、扫码或点击菜单之后的第 ${n + 1} 条客服消息，而微信只允许 ${n} 条`,
          }
        : {
            en: `it can be customer-service message number ${n + 1} since the fan's message, which allows ${n}`,
            'zh-CN': `它可能是粉丝发消息之后的第 ${n + 1} 条客服消息，而微信只允许 ${n} 条`,
          };
  } else if (at.minLeft > 0 && at.opened.size === 1) {
    why = at.opened.has('event')
      ? {
          en: `it comes 1 minute or more after a follow, scan or menu click, whose quota lasts 1 minute`,
          'zh-CN': `它在关注、扫码或点击菜单 1 分钟或更久之后才发送，而这类额度只有 1 分钟`,
        }
      : {
          en: `it comes 48 hours or more after the fan's message, whose quota lasts 48 hours`,
          'zh-CN': `它在粉丝发消息 48 小时或更久之后才发送，而这类额度只有 48 小时`,
        };
  } else if (at.minLeft <= 0) {
    why = {
      en: `it can be the ${event.messages + 1}th customer-service message since a follow, scan or menu click (WeChat allows ${event.messages}), or the ${message.messages + 1}th since the fan's last message (WeChat allows ${message.messages})`,
      'zh-CN': `它可能是关注、扫码或点击菜单之后的第 ${event.messages + 1} 条客服消息（微信只允许 ${event.messages} 条），或粉丝最近一次发消息之后的第 ${message.messages + 1} 条（微信只允许 ${message.messages} 条）`,
    };
  } else {
    why = {
      en: `it can come after waiting 1 minute or more since a follow, scan or menu click (their quota lasts 1 minute), or 48 hours or more since the fan's last message`,
      'zh-CN': `它可能在关注、扫码或点击菜单 1 分钟之后才发送（这类额度只有 1 分钟），或在粉丝最近一次发消息 48 小时之后才发送`,
    };
  }
  const advice: LocalizedText = {
    en: `add a template fallback, move the push before the wait, or invite the fan to reply (a message from the fan allows ${message.messages} customer-service messages within 48 hours)`,
    'zh-CN': `请添加备用模板消息、把推送移到等待之前，或邀请粉丝回复（粉丝发消息后 48 小时内可发送 ${message.messages} 条客服消息）`,
  };
  if (customerServiceOnly) {
    return issue(
      'W_CS_WINDOW',
      {
        en: `${cap(name.en)} is sent only as a customer-service message, but WeChat would refuse it on some path: ${why.en}. Set "${channel.en}" to "${auto.en}" and ${advice.en}.`,
        'zh-CN': `${name['zh-CN']}只能以客服消息发送，但在某些路径上微信会拒绝：${why['zh-CN']}。请把“${channel['zh-CN']}”改为“${auto['zh-CN']}”，并${advice['zh-CN'].replace(/^请/, '')}。`,
      },
      { nodeId: info.node.id, path: ['nodes', info.index, 'config', 'channel'] },
    );
  }
  return issue(
    'W_CS_WINDOW',
    always
      ? {
          en: `${cap(name.en)} can never go out as a customer-service message: ${why.en}. It has no "${fallback.en}", so it would always be skipped: ${advice.en}.`,
          'zh-CN': `${name['zh-CN']}永远无法以客服消息发送：${why['zh-CN']}。它没有“${fallback['zh-CN']}”，每次都会被跳过。${advice['zh-CN']}。`,
        }
      : {
          en: `${cap(name.en)} may find no customer-service quota open: ${why.en}. It has no "${fallback.en}", so it would then be skipped: ${advice.en}.`,
          'zh-CN': `${name['zh-CN']}发送时客服消息额度可能已关闭：${why['zh-CN']}。它没有“${fallback['zh-CN']}”，届时会被跳过。${advice['zh-CN']}。`,
        },
    { nodeId: info.node.id, path: ['nodes', info.index, 'config', 'fallback'] },
  );
}
