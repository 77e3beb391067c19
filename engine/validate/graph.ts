/**
 * Checks over the connected graph: triggers, loops that would spin, dead ends, steps no
 * trigger reaches, pushes after an unfollow, and pushes that need a customer-service quota
 * WeChat may not have open (./quota.ts).
 */
import { issue, type Issue } from '../issues';
import { fieldLabel, optionLabel, portName, stepName } from '../labels';
import { cap, type GraphModel, type NodeInfo } from './model';
import { checkServiceQuota } from './quota';
import { checkRepeatContent } from './repeat';

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
    const name = stepName(info.node);
    if (!reached.has(info.node.id) && info.spec?.category !== 'trigger' && triggers.length > 0) {
      issues.push(
        issue(
          'W_UNREACHABLE',
          {
            en: `No trigger leads to ${name.en}: no follower will ever get there.`,
            'zh-CN': `没有任何触发器通向${name['zh-CN']}，粉丝永远不会到达这一步。`,
          },
          { nodeId: info.node.id, path: ['nodes', info.index] },
        ),
      );
    }
    checkOpenPorts(model, info, issues);
  }
  checkPushAfterUnfollow(model, issues);
  checkServiceQuota(model, issues);
  checkDateTriggerOnce(model, issues);
  checkRepeatContent(model, issues);
}

/**
 * W_OPEN_PORT: a branch of a condition, split or wait that goes nowhere. An action or a
 * trigger left open simply ends the journey there, which is what a marketer means.
 */
function checkOpenPorts(model: GraphModel, info: NodeInfo, issues: Issue[]): void {
  if (info.config === undefined || !info.ports) return;
  const branches =
    info.spec?.isWait || info.kind === 'condition.rules' || info.kind === 'split.random';
  if (!branches) return;
  const used = model.out.get(info.node.id);
  const name = stepName(info.node);
  for (const port of info.ports) {
    if (used?.has(port)) continue;
    const single = info.ports.length === 1;
    const exit = portName(port);
    issues.push(
      issue(
        'W_OPEN_PORT',
        single
          ? {
              en: `Nothing follows ${name.en}: journeys end when the wait is over. Connect the next step, or remove the wait.`,
              'zh-CN': `${name['zh-CN']}之后没有连线，等待结束后旅程就此结束。请连接下一步，或删除这个等待。`,
            }
          : {
              en: `The ${exit.en} exit of ${name.en} is not connected: followers who take it leave the flow there.`,
              'zh-CN': `${name['zh-CN']}的${exit['zh-CN']}出口没有连线，走这条分支的粉丝会在此离开流程。`,
            },
        { nodeId: info.node.id, path: ['nodes', info.index] },
      ),
    );
  }
}

/**
 * W_DATE_TRIGGER_ONCE: a birthday or repurchase flow set to `once` greets each follower on
 * the first date only — almost never what a marketer means (the editor defaults such flows to
 * `after_exit`, see `defaultReentry`).
 */
function checkDateTriggerOnce(model: GraphModel, issues: Issue[]): void {
  if (model.doc.settings?.entry?.reentry !== 'once') return;
  const trigger = triggersOf(model).find((t) => t.spec?.recurringDate);
  if (!trigger) return;
  const name = stepName(trigger.node);
  const field = fieldLabel('document', ['settings', 'entry', 'reentry'])!;
  const once = optionLabel('document', ['settings', 'entry', 'reentry'], 'once')!;
  const again = optionLabel('document', ['settings', 'entry', 'reentry'], 'after_exit')!;
  const birthday = trigger.kind === 'trigger.birthday';
  issues.push(
    issue(
      'W_DATE_TRIGGER_ONCE',
      {
        en: `"${field.en}" is "${once.en}" and the flow starts from ${name.en}: ${birthday ? 'each follower will be greeted on one birthday only' : 'each follower will be reminded of one repurchase only'}. Choose "${again.en}" to enter them ${birthday ? 'every year' : 'every cycle'}.`,
        'zh-CN': `“${field['zh-CN']}”设为“${once['zh-CN']}”，而流程从${name['zh-CN']}开始：${birthday ? '每位粉丝只会在一个生日收到祝福' : '每位粉丝只会收到一次复购提醒'}。请选择“${again['zh-CN']}”，${birthday ? '让粉丝每年都能进入' : '让粉丝每个周期都能进入'}。`,
      },
      { path: ['settings', 'entry', 'reentry'] },
    ),
  );
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
  const names = members.slice(0, 5).map((m) => stepName(m.node));
  const more = members.length > 5 ? '…' : '';
  issues.push(
    issue(
      'E_LOOP_WITHOUT_WAIT',
      {
        en: `${cap(names.map((n) => n.en).join(' → '))}${more} form a loop with no wait step: a follower would go round it endlessly. Add a wait in the loop.`,
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
    const name = stepName(info.node);
    issues.push(
      issue(
        'E_PUSH_AFTER_UNFOLLOW',
        {
          en: `${cap(name.en)} sends a message after the follower unfollowed: WeChat delivers nothing to someone who has left.`,
          'zh-CN': `${name['zh-CN']}在粉丝取消关注后发送消息：微信不会向已取关的用户投递任何消息。`,
        },
        { nodeId: id, path: ['nodes', info.index] },
      ),
    );
  }
}
