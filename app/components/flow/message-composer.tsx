/**
 * The push message composer: message type, its fields, buttons that insert `{{…}}`
 * variables at the cursor, and a phone-style preview rendered with sample values.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  charCount,
  keywordKind,
  keywordMax,
  keywordRule,
  renderText,
  templateCardLines,
  type PushMessage,
  type TemplateKeyword,
} from '~/lib/engine';
import { Field, TextField, useEditorContext, withField } from './fields';
import { useFieldLabel, useLang, useOptionText } from './labels';
import { MESSAGE_TYPES, VARIABLES, type MessageType } from './message-vars';
import { TemplatePicker } from './resource-pickers';

type Message = Partial<PushMessage> & Record<string, unknown>;
/** Plausible values for the preview (never sent anywhere). */
const SAMPLE = {
  follower: { city: '上海', tier: 'VIP', points: 120, birthday: '05-20', openid: 'oSample' },
  coupon: { code: 'CUP8K2Q9', expiresAt: '2025-12-31' },
  event: { scene: 'cup_2024', text: 'VIP' },
};

const blankOf = (type: MessageType): Message => {
  switch (type) {
    case 'text':
      return { type, text: '' };
    case 'news':
      return { type, articles: [{ title: '', url: '' }] };
    case 'image':
      return { type, mediaId: '' };
    case 'template':
      return { type, templateId: '', data: {} };
    case 'miniprogram':
      return { type, title: '', appId: '', pagePath: '', thumbMediaId: '' };
  }
};

export function MessageComposer({
  message,
  onChange,
}: {
  message: Message | undefined;
  onChange(next: Message): void;
}) {
  const option = useOptionText('action.push');
  const { readOnly } = useEditorContext();
  const type = (message?.type ?? 'text') as MessageType;
  const m = message ?? blankOf('text');
  return (
    <div className="composer">
      <Field path="message/type">
        {({ id, describedBy }) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={type}
            disabled={readOnly}
            onChange={(e) => onChange(blankOf(e.target.value as MessageType))}
          >
            {MESSAGE_TYPES.map((mt) => (
              <option key={mt} value={mt}>
                {option('message/type', mt)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {type === 'text' ? (
        <TextBody
          text={m.text as string | undefined}
          onChange={(text) => onChange({ ...m, text })}
        />
      ) : null}
      {type === 'news' ? <NewsBody message={m} onChange={onChange} /> : null}
      {type === 'image' ? (
        <TextField
          path="message/mediaId"
          value={m.mediaId as string}
          onChange={(v) => onChange({ ...m, mediaId: v })}
        />
      ) : null}
      {type === 'template' ? <TemplateBody message={m} onChange={onChange} /> : null}
      {type === 'miniprogram'
        ? (['title', 'appId', 'pagePath', 'thumbMediaId'] as const).map((key) => (
            <TextField
              key={key}
              path={`message/${key}`}
              value={m[key] as string}
              onChange={(v) => onChange({ ...m, [key]: v })}
            />
          ))
        : null}
      <PhonePreview message={m} />
    </div>
  );
}

function TextBody({ text, onChange }: { text: string | undefined; onChange(text: string): void }) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const ref = useRef<HTMLTextAreaElement>(null);
  const insert = (token: string) => {
    const el = ref.current;
    const value = text ?? '';
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const placeholder = `{{${token}}}`;
    onChange(value.slice(0, start) + placeholder + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  };
  return (
    <Field path="message/text" hint={t('editor.composer.textHint', { n: (text ?? '').length })}>
      {({ id, describedBy, invalid }) => (
        <>
          <textarea
            ref={ref}
            id={id}
            rows={5}
            value={text ?? ''}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            readOnly={readOnly}
            onChange={(e) => onChange(e.target.value)}
          />
          {readOnly ? null : (
            <div
              className="composer__vars"
              role="group"
              aria-label={t('editor.composer.insertVariable')}
            >
              {VARIABLES.map((v) => (
                <button
                  key={v.token}
                  type="button"
                  className="suggestion"
                  title={`{{${v.token}}}`}
                  onClick={() => insert(v.token)}
                >
                  {t(`editor.composer.vars.${v.key}`)}
                </button>
              ))}
            </div>
          )}
        </>
      )}
    </Field>
  );
}

type Article = { title?: string; description?: string; url?: string; picUrl?: string };

function NewsBody({ message, onChange }: { message: Message; onChange(next: Message): void }) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const articles = (Array.isArray(message.articles) ? message.articles : []) as Article[];
  const set = (i: number, key: keyof Article, value: string) =>
    onChange({
      ...message,
      articles: articles.map((a, j) =>
        j === i
          ? withField(a, key, key === 'title' || key === 'url' ? value : value || undefined)
          : a,
      ) as never,
    });
  return (
    <div className="composer__articles">
      {articles.map((a, i) => (
        <fieldset key={i} className="subform">
          <ArticleLegend index={i} />
          {(['title', 'description', 'url', 'picUrl'] as const).map((key) => (
            <TextField
              key={key}
              path={`message/articles/${i}/${key}`}
              value={a[key]}
              onChange={(v) => set(i, key, v)}
            />
          ))}
          {readOnly || articles.length < 2 ? null : (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() =>
                onChange({ ...message, articles: articles.filter((_, j) => j !== i) as never })
              }
            >
              {t('editor.composer.removeArticle')}
            </button>
          )}
        </fieldset>
      ))}
      {/* WeChat takes one article per news message (45008 for more). */}
      {readOnly || articles.length >= 1 ? null : (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() =>
            onChange({ ...message, articles: [...articles, { title: '', url: '' }] as never })
          }
        >
          {t('editor.composer.addArticle')}
        </button>
      )}
    </div>
  );
}

function ArticleLegend({ index }: { index: number }) {
  return <legend>{useFieldLabel(`message/articles/${index}`)}</legend>;
}

/** A template message's fields; `base` is where it sits in the push config (`message`, `fallback`). */
export function TemplateBody({
  message,
  onChange,
  base = 'message',
}: {
  message: Message;
  onChange(next: Message): void;
  base?: 'message' | 'fallback';
}) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const lang = useLang();
  const templateId = message.templateId as string | undefined;
  const data = (message.data ?? {}) as Record<string, string>;
  const template = findTemplate(resources.templates, templateId);
  // A template the brand no longer has keeps the fields it was written with.
  const keywords: TemplateKeyword[] =
    template?.keywords ??
    Object.keys(data).map((key) => ({ key, kind: keywordKind(key), label: '' }));
  return (
    <>
      <TemplatePicker
        path={`${base}/templateId`}
        value={templateId}
        onChange={(v) => {
          const keys = findTemplate(resources.templates, v)?.fields ?? [];
          onChange({
            ...message,
            templateId: v,
            data: Object.fromEntries(keys.map((k) => [k, data[k] ?? ''])),
          });
        }}
      />
      {keywords.map((k) => {
        const value = data[k.key] ?? '';
        const rule = keywordRule(k.kind);
        const max = keywordMax(k.kind, value);
        const count = max !== undefined && !value.includes('{{') ? charCount(value) : null;
        return (
          <TextField
            key={k.key}
            label={k.label ? `${k.label} (${k.key})` : k.key}
            path={`${base}/data/${k.key}`}
            value={data[k.key]}
            placeholder={
              rule ? undefined : t('editor.composer.templateValue', { example: '{{coupon.code}}' })
            }
            hint={
              <span data-keyword-kind={k.kind}>
                {rule?.hint[lang] ??
                  t('editor.composer.templateValue', { example: '{{coupon.code}}' })}
                {count !== null ? (
                  <>
                    {' · '}
                    <span className={count > max! ? 'field__hint--over' : undefined}>
                      {t('editor.composer.templateCount', { n: count, max })}
                    </span>
                  </>
                ) : null}
              </span>
            }
            onChange={(v) => onChange({ ...message, data: { ...data, [k.key]: v } })}
          />
        );
      })}
      <TextField
        path={`${base}/url`}
        value={message.url as string | undefined}
        onChange={(v) => onChange(withField(message, 'url', v || undefined))}
      />
    </>
  );
}

/** The brand's template a message names: by WeChat id, or by our name (older flows). */
function findTemplate<T extends { templateId: string; name: string }>(
  templates: readonly T[],
  ref: string | undefined,
): T | undefined {
  if (!ref) return undefined;
  return templates.find((x) => x.templateId === ref) ?? templates.find((x) => x.name === ref);
}

/** What the follower would see, with sample values in place of the variables. */
export function PhonePreview({ message }: { message: Message }) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const option = useOptionText('action.push');
  const render = (s: unknown) => {
    try {
      return renderText(typeof s === 'string' ? s : '', SAMPLE);
    } catch {
      return typeof s === 'string' ? s : '';
    }
  };
  let body;
  switch (message.type) {
    case 'news': {
      const first = ((message.articles as Article[] | undefined) ?? [])[0];
      body = (
        <div className="phone__card">
          <strong>{render(first?.title) || t('editor.composer.previewEmpty')}</strong>
          <p>{render(first?.description)}</p>
        </div>
      );
      break;
    }
    case 'image':
      body = <div className="phone__card phone__image">{t('editor.composer.previewImage')}</div>;
      break;
    case 'template': {
      const data = (message.data ?? {}) as Record<string, string>;
      const template = findTemplate(resources.templates, message.templateId as string | undefined);
      const keywords =
        template?.keywords ??
        Object.keys(data).map((key) => ({ key, kind: keywordKind(key), label: '' }));
      body = (
        <div className="phone__card phone__template" data-testid="template-card">
          <strong>{template?.title || option('message/type', 'template')}</strong>
          <dl>
            {templateCardLines(keywords, (key) => render(data[key])).map((line) => (
              <div key={line.key}>
                <dt>{line.label}</dt>
                <dd>
                  {line.value || <span className="muted">{t('editor.composer.previewEmpty')}</span>}
                </dd>
              </div>
            ))}
          </dl>
          {message.url ? (
            <p className="phone__more">{t('editor.composer.templateDetails')}</p>
          ) : null}
        </div>
      );
      break;
    }
    case 'miniprogram':
      body = (
        <div className="phone__card">
          <strong>{render(message.title) || t('editor.composer.previewEmpty')}</strong>
          <p>{option('message/type', 'miniprogram')}</p>
        </div>
      );
      break;
    default: {
      const text = render(message.text);
      body = (
        <div className="phone__bubble">
          {text || <span className="muted">{t('editor.composer.previewEmpty')}</span>}
        </div>
      );
    }
  }
  return (
    <figure className="phone" aria-label={t('editor.composer.preview')}>
      <figcaption className="phone__bar">{t('editor.composer.preview')}</figcaption>
      <div className="phone__screen" data-testid="phone-preview">
        {body}
      </div>
      <p className="phone__note">{t('editor.composer.previewNote')}</p>
    </figure>
  );
}
