import { describe, expect, it } from 'vitest';
import { buildEventFact } from './rules/facts';
import { renderTagName, tagNameProblem } from './tag-name';

const scan = (scene: string | undefined) =>
  buildEventFact({ type: 'qr_scan', ...(scene === undefined ? {} : { scene }) });

describe('tag names rendered at run time (the same renderer as messages)', () => {
  it.each([
    ['src_{{event.scene}}', { event: scan('cup-2012') }, { ok: true, name: 'src_cup-2012' }],
    ['{{follower.city}}粉', { follower: { city: '上海' } }, { ok: true, name: '上海粉' }],
    ['{{params.channel}}', { params: { channel: 'kol' } }, { ok: true, name: 'kol' }],
    ['code_{{coupon.code}}', { coupon: { code: 'C-1' } }, { ok: true, name: 'code_C-1' }],
    ['  spaced  ', {}, { ok: true, name: 'spaced' }],
    // 4 + 30 bytes: WeChat would answer 45158.
    [
      'src_{{event.scene}}',
      { event: scan('x'.repeat(30)) },
      { ok: false, reason: 'too_long', name: `src_${'x'.repeat(30)}` },
    ],
    ['src_{{event.scene}}', { event: scan(undefined) }, { ok: false, reason: 'missing_value' }],
    ['src_{{event.scene}}', { event: scan('  ') }, { ok: false, reason: 'missing_value' }],
    ['{{event.scene}}', { event: scan('menu:vip') }, { ok: false, reason: 'reserved' }],
    ['{{follower.city}}', { follower: { city: null } }, { ok: false, reason: 'missing_value' }],
  ] as const)('%s with %j', (template, vars, expected) => {
    expect(renderTagName(template, vars)).toMatchObject(expected);
  });

  it.each([
    ['vip', null],
    ['', 'empty'],
    ['   ', 'empty'],
    ['十个汉字十个汉字十个', null],
    ['十个汉字十个汉字十个字', 'too_long'],
    ['星标组', 'reserved'],
    ['menu:vip-menu', 'reserved'],
  ])('tagNameProblem(%j) = %j', (name, problem) => {
    expect(tagNameProblem(name)).toBe(problem);
  });
});
