import { describe, expect, it } from 'vitest';
import { validate } from '../index';

/** keyword → wait → push → back to the wait. */
const loop = (wait: { kind: string; config: object }, text: string) => ({
  format: 'fanfare.flow/v1',
  name: 'loop',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'after_exit' } },
  nodes: [
    { id: 't', kind: 'trigger.keyword', config: { keywords: ['签到'] } },
    { id: 'w', ...wait },
    {
      id: 'p',
      kind: 'action.push',
      config: {
        channel: 'template',
        message: { type: 'template', templateId: 'tpl', data: { thing1: text } },
      },
    },
  ],
  edges: [
    { id: 'e1', from: 't', port: 'next', to: 'w' },
    { id: 'e2', from: 'w', port: 'next', to: 'p' },
    { id: 'e3', from: 'p', port: 'next', to: 'w' },
  ],
});
const repeatWarnings = (doc: unknown) => validate(doc).filter((i) => i.code === 'W_REPEAT_CONTENT');

describe('W_REPEAT_CONTENT', () => {
  it('warns on a fixed text in a loop that comes round daily, on the push', () => {
    for (const wait of [
      { kind: 'wait.until', config: { at: '09:00' } },
      { kind: 'wait.delay', config: { duration: '1d' } },
      { kind: 'wait.delay', config: { duration: '2h' } },
    ]) {
      const found = repeatWarnings(loop(wait, '记得签到'));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ nodeId: 'p', severity: 'warning' });
    }
  });

  it('is quiet when the text varies, or the loop takes longer than a day', () => {
    expect(
      repeatWarnings(
        loop({ kind: 'wait.until', config: { at: '09:00' } }, '第{{follower.points}}分'),
      ),
    ).toEqual([]);
    expect(
      repeatWarnings(loop({ kind: 'wait.delay', config: { duration: '2d' } }, '记得签到')),
    ).toEqual([]);
  });
});
