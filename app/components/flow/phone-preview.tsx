/**
 * The simulated messages as the fan sees them in WeChat: a phone with the account's chat —
 * text bubbles, a card for a news article, an image or mini-program placeholder, and a
 * template message's card (its title from the brand's registered template when the editor
 * knows it, else the template's name; one row per data field) — with the time above each
 * message, in the flow's time zone. The simulator has already rendered the placeholders.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BrandResources } from '../../../services/flows/editor.types';
import type { SimMessage } from '../../../engine/simulate/index';

interface Props {
  /** The account's name, at the top of the chat. */
  account: string;
  messages: readonly SimMessage[];
  templates: BrandResources['templates'];
  /** A message's time, in the flow's time zone. */
  formatTime: (iso: string) => string;
}

function Preview({ account, messages, templates, formatTime }: Props) {
  const { t } = useTranslation();
  let lastTime = '';
  return (
    <div className="phone" data-testid="phone-preview" aria-label={t('editor.simulate.phone')}>
      <div className="phone__bar">{account}</div>
      <ol className="phone__chat">
        {messages.length === 0 ? (
          <li className="phone__empty">{t('editor.simulate.noMessages')}</li>
        ) : null}
        {messages.map((m, i) => {
          const time = formatTime(m.at);
          const showTime = time !== lastTime;
          lastTime = time;
          return (
            <li key={i} className="phone__item" data-node-id={m.nodeId} data-channel={m.channel}>
              {showTime ? <div className="phone__time">{time}</div> : null}
              <div className="phone__row">
                <span className="phone__avatar" aria-hidden="true" />
                <MessageView message={m} templates={templates} />
              </div>
              <div className="phone__via">{t(`editor.simulate.channels.${m.channel}`)}</div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function MessageView({
  message: { message },
  templates,
}: {
  message: SimMessage;
  templates: BrandResources['templates'];
}) {
  const { t } = useTranslation();
  switch (message.type) {
    case 'text':
      return <div className="phone__bubble">{message.text}</div>;
    case 'news': {
      const a = message.articles[0];
      return (
        <div className="phone__card phone__card--news">
          <div className="phone__card-title">{a?.title}</div>
          <div className="phone__news-body">
            {a?.description ? <p>{a.description}</p> : null}
            {a?.picUrl ? (
              <img src={a.picUrl} alt="" className="phone__thumb" referrerPolicy="no-referrer" />
            ) : (
              <span className="phone__thumb phone__thumb--empty" aria-hidden="true" />
            )}
          </div>
        </div>
      );
    }
    case 'image':
      return <div className="phone__card phone__card--image">{t('editor.simulate.image')}</div>;
    case 'miniprogram':
      return (
        <div className="phone__card phone__card--mini">
          <div className="phone__card-title">{message.title}</div>
          <div className="phone__card-foot">{t('editor.simulate.miniprogram')}</div>
        </div>
      );
    case 'template': {
      const template = templates.find(
        (x) => x.name === message.templateId || x.templateId === message.templateId,
      );
      const labelOf = (key: string) => template?.keywords.find((k) => k.key === key)?.label || key;
      return (
        <div className="phone__card phone__card--template" data-testid="template-card">
          <div className="phone__card-title">{template?.title || message.templateId}</div>
          <dl className="phone__fields">
            {Object.entries(message.data).map(([key, value]) => (
              <div key={key} className="phone__field">
                <dt>{labelOf(key)}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
          {message.url || message.miniprogram ? (
            <div className="phone__card-foot">{t('editor.simulate.details')}</div>
          ) : null}
        </div>
      );
    }
  }
}

export const PhonePreview = memo(Preview);
