/**
 * W_REPEAT_CONTENT: a push with fixed content (no placeholder) on a loop that comes round
 * within a day — through a `wait.until` or a `wait.delay` of at most a day. Such a loop sends a
 * follower the same message day after day; WeChat users read that as spam, so a push whose
 * content the follower received on each of the two days before is skipped at run time with
 * `repeat_content` (docs/product.md#governance). The warning says so before publishing.
 */
import { issue, type Issue } from '../issues';
import { stepName } from '../labels';
import { durationMs } from '../schema/duration';
import type { GraphModel, NodeInfo } from './model';

const DAY_MS = 86_400_000;

/** A wait after which a loop can come round again the same day or the next. */
function waitsADayAtMost(info: NodeInfo): boolean {
  if (info.kind === 'wait.until') return true;
  if (info.kind !== 'wait.delay') return false;
  const duration = (info.config as { duration?: string } | undefined)?.duration;
  return duration !== undefined && durationMs(duration) <= DAY_MS;
}

/** Every node reachable from `from`'s exits. */
function reachableFrom(model: GraphModel, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(model.out.get(from)?.values() ?? [])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of model.out.get(id)?.values() ?? []) if (!seen.has(next)) queue.push(next);
  }
  return seen;
}

export function checkRepeatContent(model: GraphModel, issues: Issue[]): void {
  const fixedPushes = model.order.filter(
    (info) =>
      info.kind === 'action.push' &&
      info.config !== undefined &&
      !JSON.stringify((info.config as { message?: unknown }).message ?? null).includes('{{'),
  );
  for (const push of fixedPushes) {
    const ahead = reachableFrom(model, push.node.id);
    if (!ahead.has(push.node.id)) continue;
    // A daily wait on a loop through this push: one it reaches and that reaches it back.
    const wait = [...ahead]
      .map((id) => model.nodes.get(id))
      .find(
        (info) =>
          info !== undefined &&
          waitsADayAtMost(info) &&
          reachableFrom(model, info.node.id).has(push.node.id),
      );
    if (!wait) continue;
    const name = stepName(push.node);
    const around = stepName(wait.node);
    issues.push(
      issue(
        'W_REPEAT_CONTENT',
        {
          en: `${name.en} sends the same content each time the loop through ${around.en} comes round. Fans read the same message three days running as spam, so a follower who received it on each of the two days before is skipped the third day. Vary it with a placeholder, or leave the loop after a few rounds.`,
          'zh-CN': `${name['zh-CN']}每次经过${around['zh-CN']}的循环都会发送相同的内容。粉丝会把连续三天相同的消息当作骚扰，因此前两天都收到过的粉丝第三天会被跳过。请用变量让内容有所变化，或在几轮之后离开循环。`,
        },
        { nodeId: push.node.id, path: ['nodes', push.index, 'config', 'message'] },
      ),
    );
  }
}
