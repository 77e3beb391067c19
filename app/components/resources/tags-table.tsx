import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import type { TagRow } from '../../../services/tags/index';
import { useSubmitting } from './use-action-state';

function DeleteButton({ tag }: { tag: TagRow }) {
  const { t } = useTranslation('resources');
  const submitting = useSubmitting('delete', tag.id);
  return (
    <Form method="post" className="res-inline-form">
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="id" value={tag.id} />
      <button
        type="submit"
        className="button button--danger button--small"
        disabled={submitting}
        aria-label={t('tags.table.deleteLabel', { name: tag.name })}
      >
        {t('common.delete')}
      </button>
    </Form>
  );
}

interface Props {
  tags: TagRow[];
  lang: Language;
  deletable: boolean;
  caption: string;
  empty: string;
}

export function TagsTable({ tags, lang, deletable, caption, empty }: Props) {
  const { t } = useTranslation('resources');
  const n = new Intl.NumberFormat(lang);
  if (tags.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tags.table.name')}</th>
            <th scope="col" className="num">
              {t('tags.table.followers')}
            </th>
            <th scope="col">{t('tags.table.wechat')}</th>
            {deletable ? <th scope="col">{t('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => (
            <tr key={tag.id}>
              <th scope="row">{tag.name}</th>
              <td className="num">{n.format(tag.followers)}</td>
              <td>
                {tag.wechatTagId === null ? (
                  <span className="res-badge">{t('tags.table.notOnWechat')}</span>
                ) : (
                  <span className="res-badge res-badge--ok">
                    {t('tags.table.wechatId', { id: tag.wechatTagId })}
                  </span>
                )}
              </td>
              {deletable ? (
                <td>
                  <DeleteButton tag={tag} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
