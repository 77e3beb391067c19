/** Numbers on the canvas, as rendered, in both languages. */
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, type Language } from '../../i18n/config';
import { REASONS } from '../../lib/engine';
import { NodeStatsContext, NodeStatsLine, type CanvasNodeStats } from './node-stats';

const push: CanvasNodeStats = {
  entered: 1200,
  waiting: 3,
  completed: 1190,
  exited: 7,
  failed: 0,
  ports: { next: 1190 },
  messages: { sent: 1185, failed: 0, skipped: { quota_closed: 5 } },
};

const render = (lang: Language, stats: Record<string, CanvasNodeStats> | null, kind: string) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(lang)}>
      <NodeStatsContext.Provider value={stats}>
        <NodeStatsLine nodeId="push" kind={kind} />
      </NodeStatsContext.Provider>
    </I18nextProvider>,
  );

describe('numbers on the canvas', () => {
  it('shows a push’s counts, and its skips with their reason on hover', () => {
    const en = render('en', { push }, 'action.push');
    for (const text of ['entered 1,200', 'waiting 3', 'done 1,190', 'left 7', 'sent 1,185'])
      expect(en).toContain(text);
    expect(en).toContain('skipped 5');
    expect(en).toContain(`5 × ${REASONS.quota_closed!.en}`);
    expect(en).not.toContain('failed');
    const zh = render('zh-CN', { push }, 'action.push');
    for (const text of [
      '进入 1,200',
      '等待中 3',
      '完成 1,190',
      '离开 7',
      '已发送 1,185',
      '已跳过 5',
    ])
      expect(zh).toContain(text);
    expect(zh).toContain(REASONS.quota_closed!['zh-CN']);
  });

  it('shows nothing for a flow never published, or a step nobody reached yet', () => {
    expect(render('en', null, 'action.push')).toBe('');
    expect(render('en', { other: push }, 'action.push')).toBe('');
  });

  it('shows no message counts on a step that sends none', () => {
    expect(render('en', { push }, 'action.tag')).not.toContain('sent');
  });
});
