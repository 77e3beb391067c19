/** The simulated messages as the fan sees them, in both languages. */
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, type Language } from '../../i18n/config';
import type { SimMessage } from '../../../engine/simulate/index';
import { PhonePreview } from './phone-preview';

const messages: SimMessage[] = [
  {
    at: '2026-11-30T02:00:00.000Z',
    nodeId: 'hello',
    channel: 'customer_service',
    message: { type: 'text', text: '新人券 SAMPLE-0001' },
  },
  {
    at: '2026-11-30T02:00:00.000Z',
    nodeId: 'news',
    channel: 'customer_service',
    message: {
      type: 'news',
      articles: [{ title: '冬季新品', description: '热饮上新', url: 'https://example.com' }],
    },
  },
  {
    at: '2026-12-02T02:00:00.000Z',
    nodeId: 'nudge',
    channel: 'template',
    message: { type: 'template', templateId: 'welcome-reminder', data: { thing1: '还在等你' } },
  },
];
const templates = [
  {
    name: 'welcome-reminder',
    templateId: 'TPL-1',
    title: '会员提醒',
    example: '',
    keywords: [{ key: 'thing1', kind: 'thing', label: '提醒内容' }],
    fields: ['thing1'],
  },
];

const render = (lang: Language, list: SimMessage[], known = templates) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(lang)}>
      <PhonePreview
        account="杯子咖啡"
        messages={list}
        templates={known}
        formatTime={(iso) => iso.slice(5, 16)}
      />
    </I18nextProvider>,
  );

describe('the phone preview', () => {
  it('shows text, a news card and a template card titled by the brand’s template', () => {
    const html = render('zh-CN', messages);
    expect(html).toContain('新人券 SAMPLE-0001');
    expect(html).toContain('冬季新品');
    expect(html).toContain('会员提醒');
    expect(html).toContain('提醒内容');
    expect(html).toContain('还在等你');
    expect(html).toContain('客服消息');
    expect(html).toContain('模板消息');
    // One time above messages sent at the same minute.
    expect(html.match(/phone__time/g)).toHaveLength(2);
  });
  it('names an unknown template by its id, and says when there is nothing yet', () => {
    expect(render('en', messages.slice(2), [])).toContain('welcome-reminder');
    expect(render('en', [])).toContain('No messages yet.');
  });
});
