/**
 * Checks over the connected graph: triggers, loops that would spin, dead ends, steps no
 * trigger reaches, pushes after an unfollow, and customer-service pushes that cannot be
 * inside WeChat's 48-hour window.
 */
import { issue, nodeName, type Issue } from '../issues';
import { HOUR_MS } from '../schema/duration';
import type { GraphModel, NodeInfo } from './model';

const WINDOW_MS = 48 * HOUR_MS;

export function successors(model: GraphModel, id: string): string[] {
  const ports = model.out.get(id);
  return ports ? [...ports.values()] : [];
}

/** Every node reachable from `starts` (the starts included). */
export function reachableFrom(model: GraphModel, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>(starts);
  const queue = [...seen];
  while (queue.length) {
    for (const next of successors(model, queue.pop()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

export function triggersOf(model: GraphModel): NodeInfo[] {
  return model.order.filter((n) => n.spec?.category === 'trigger');
}

export function checkGraph(model: GraphModel, issues: Issue[]): void {
  const triggers = triggersOf(model);
  if (triggers.length === 0 && model.order.length > 0) {
    issues.push(
      issue('E_NO_TRIGGER', {
        en: 'This flow has no trigger, so no follower can ever enter it; add a trigger such as a follow or a QR scan.',
        'zh-CN': '该流程没有触发器，粉丝无法进入；请添加触发器，例如“关注”或“扫码”。',
      }),
    );
  } else if (model.order.length === 0) {
    issues.push(
      issue('E_NO_TRIGGER', {
        en: 'This flow is empty: add a trigger to start.',
        'zh-CN': '该流程为空：请先添加一个触发器。',
      }),
    );
  }
  checkLoops(model, issues);
  const reached = reachableFrom(
    model,
    triggers.map((t) => t.node.id),
  );
  for (const info of model.order) {
    const name = nodeName(info.node);
    if (!reached.has(info.node.id) && info.spec?.category !== 'trigger' && triggers.length > 0) {
      issues.push(
        issue(
          'W_UNREACHABLE',
          {
            en: `No trigger leads to ${name.en}: no follower will ever get there.`,
            'zh-CN': `没有任何触发器通向 ${name['zh-CN']}，粉丝永远不会到达这一步。`,
          },
          { nodeId: info.node.id, path: ['nodes', info.index] },
        ),
      );
    }
    if (info.config === undefined || !info.ports) continue;
    const used = model.out.get(info.node.id);
    for (const port of info.ports) {
      if (used?.has(port)) continue;
      issues.push(
        issue(
          'W_OPEN_PORT',
          {
            en: `The exit "${port}" of ${name.en} is not connected: journeys that take it end there.`,
            'zh-CN': `${name['zh-CN']}的出口 "${port}" 没有连线，走到这里的旅程会直接结束。`,
          },
          { nodeId: info.node.id, path: ['nodes', info.index] },
        ),
      );
    }
  }
  checkPushAfterUnfollow(model, issues);
  checkServiceWindow(model, issues);
}

/** Strongly connected components of the graph without wait nodes (iterative Tarjan). */
function checkLoops(model: GraphModel, issues: Issue[]): void {
  const spins = (id: string) => {
    const info = model.nodes.get(id);
    return info?.spec != null && !info.spec.isWait;
  };
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  for (const root of model.order) {
    const rootId = root.node.id;
    if (index.has(rootId) || !spins(rootId)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: successors(model, id).filter(spins), i: 0 });
    };
    open(rootId);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.id);
      const selfLoop = component.length === 1 && successors(model, frame.id).includes(frame.id);
      if (component.length > 1 || selfLoop) reportLoop(model, component, issues);
    }
  }
}

function reportLoop(model: GraphModel, component: string[], issues: Issue[]): void {
  const members = component.map((id) => model.nodes.get(id)!).sort((a, b) => a.index - b.index);
  const first = members[0]!;
  const names = members.slice(0, 5).map((m) => nodeName(m.node));
  const more = members.length > 5 ? '…' : '';
  issues.push(
    issue(
      'E_LOOP_WITHOUT_WAIT',
      {
        en: `${names.map((n) => n.en).join(' → ')}${more} form a loop with no wait step: a follower would go round it endlessly. Add a wait in the loop.`,
        'zh-CN': `${names.map((n) => n['zh-CN']).join(' → ')}${more} 构成了没有等待步骤的循环，粉丝会无限循环。请在循环中加入等待。`,
      },
      { nodeId: first.node.id, path: ['nodes', first.index] },
    ),
  );
}

function checkPushAfterUnfollow(model: GraphModel, issues: Issue[]): void {
  const unfollows = model.order.filter((n) => n.kind === 'trigger.unfollow').map((n) => n.node.id);
  if (!unfollows.length) return;
  for (const id of reachableFrom(model, unfollows)) {
    const info = model.nodes.get(id)!;
    if (info.kind !== 'action.push') continue;
    const name = nodeName(info.node);
    issues.push(
      issue(
        'E_PUSH_AFTER_UNFOLLOW',
        {
          en: `${name.en} sends a message after the follower unfollowed: WeChat delivers nothing to someone who has left.`,
          'zh-CN': `${name['zh-CN']}在粉丝取消关注后发送消息：微信不会向已取关的用户投递任何消息。`,
        },
        { nodeId: id, path: ['nodes', info.index] },
      ),
    );
  }
}

/**
 * The longest certain time since the follower last interacted, on any path, saturated at
 * 48 h. Sweep/broadcast triggers start saturated: the follower did not just interact.
 */
function checkServiceWindow(model: GraphModel, issues: Issue[]): void {
  const since = new Map<string, number>();
  const queue: string[] = [];
  for (const t of triggersOf(model)) {
    since.set(t.node.id, t.spec!.opensWindow === false ? WINDOW_MS : 0);
    queue.push(t.node.id);
  }
  while (queue.length) {
    const id = queue.pop()!;
    const info = model.nodes.get(id)!;
    const here = since.get(id)!;
    for (const [port, to] of model.out.get(id) ?? []) {
      const effect =
        info.spec?.window && info.config !== undefined
          ? info.spec.window(info.config, port)
          : { waitMs: 0 };
      const there = effect === 'reopen' ? 0 : Math.min(WINDOW_MS, here + effect.waitMs);
      if (there > (since.get(to) ?? -1)) {
        since.set(to, there);
        queue.push(to);
      }
    }
  }
  for (const info of model.order) {
    const config = info.config as { channel?: string } | undefined;
    if (info.kind !== 'action.push' || config?.channel !== 'customer_service') continue;
    if ((since.get(info.node.id) ?? 0) < WINDOW_MS) continue;
    const name = nodeName(info.node);
    issues.push(
      issue(
        'W_CS_WINDOW',
        {
          en: `${name.en} is a customer-service message, but the follower may not have interacted in the last 48 hours (after a long wait, or from a birthday, repurchase or audience trigger); WeChat would refuse it. Use the "auto" channel or a template message.`,
          'zh-CN': `${name['zh-CN']}是客服消息，但粉丝在此前 48 小时内可能没有互动（经过了长时间等待，或来自生日、复购、定向群发触发器），微信会拒绝发送。请改用“自动”通道或模板消息。`,
        },
        { nodeId: info.node.id, path: ['nodes', info.index, 'config', 'channel'] },
      ),
    );
  }
}
