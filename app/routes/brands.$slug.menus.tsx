import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '~/components/error-view';
import { MenuEditor } from '~/components/resources/menu-editor';
import { ProblemNotice, SuccessNotice } from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { formAction } from '~/lib/http/guard.server';
import { formatDateTime } from '~/lib/format';
import type { MenuRow } from '../../services/menus/index';
import { requireMember } from '~/lib/auth.server';
import { answer, brandPage, field, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { draftFromForm } from '../../services/menus/draft';
import { REQUIRED_ROLE } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('menus.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { brand, page } = await brandPage(
    await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] }),
  );
  const lang = resolveLanguage(request);
  const menus = brand
    ? (await services.menus.list(brand.id)).map((m) => ({
        ...m,
        publishedAtLabel: m.publishedAt
          ? formatDateTime(new Date(m.publishedAt), lang, brand.timezone)
          : null,
      }))
    : null;
  return { lang, page, menus };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  const brand = await memberBrand(member);
  const intent = field(form, 'intent');
  const id = field(form, 'id');
  switch (intent) {
    case 'save': {
      const input = {
        ...(id && id !== 'new' ? { id } : {}),
        name: field(form, 'name'),
        isDefault: field(form, 'isDefault') === '1',
        buttons: draftFromForm(form),
      };
      return answer({
        intent,
        id: id || 'new',
        isDefault: input.isDefault,
        result: await services.menus.save(brand.id, input),
      } as const);
    }
    case 'delete':
      return answer({ intent, id, result: await services.menus.delete(brand.id, id) } as const);
    case 'publish':
      return {
        intent,
        id: '',
        result: await services.menus.publish(actor, brand.id),
      } as const;
    default:
      throw data({ reason: 'bad-intent' }, { status: 400 });
  }
}

type Menu = MenuRow & { publishedAtLabel: string | null };

function PublishState({ menu }: { menu: Menu }) {
  const { t } = useTranslation('resources');
  if (!menu.publishedAtLabel)
    return <span className="res-badge res-badge--warn">{t('menus.state.never')}</span>;
  if (menu.unpublished)
    return (
      <span className="res-badge res-badge--warn">
        {t('menus.state.changed', { at: menu.publishedAtLabel })}
      </span>
    );
  return (
    <span className="res-badge res-badge--ok">
      {t('menus.state.published', { at: menu.publishedAtLabel })}
    </span>
  );
}

function DeleteMenu({ menu }: { menu: Menu }) {
  const { t } = useTranslation('resources');
  const submitting = useSubmitting('delete', menu.id);
  return (
    <Form method="post" className="res-inline-form">
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="id" value={menu.id} />
      <button type="submit" className="button button--danger button--small" disabled={submitting}>
        {t('menus.delete', { name: menu.name })}
      </button>
    </Form>
  );
}

function PublishPanel({ menus }: { menus: Menu[] }) {
  const { t } = useTranslation('resources');
  const actionData = useActionData<typeof action>();
  const submitting = useSubmitting('publish');
  const result = actionData?.intent === 'publish' ? actionData.result : undefined;
  const pending = menus.filter((m) => m.unpublished).length;
  return (
    <section className="res-card" aria-labelledby="publish-heading">
      <h3 id="publish-heading">{t('menus.publish.heading')}</h3>
      <p className="muted">
        {pending > 0 ? t('menus.publish.pending', { count: pending }) : t('menus.publish.upToDate')}
      </p>
      {result?.ok ? (
        <SuccessNotice>{t('menus.publish.done', { count: result.published })}</SuccessNotice>
      ) : null}
      {result && !result.ok ? <ProblemNotice problems={result.problems} /> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="publish" />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('menus.publish.working') : t('menus.publish.submit')}
        </button>
      </Form>
    </section>
  );
}

export default function MenusPage() {
  const { t } = useTranslation('resources');
  const { page, menus } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problemsFor = (id: string) =>
    actionData?.intent === 'save' && actionData.id === id && !actionData.result.ok
      ? actionData.result.problems
      : undefined;
  const saved =
    actionData?.intent === 'save' && actionData.result.ok ? actionData.result.menu.name : null;
  const deleted =
    actionData?.intent === 'delete' && actionData.result.ok ? actionData.result.name : null;
  const deleteProblems =
    actionData?.intent === 'delete' && !actionData.result.ok
      ? actionData.result.problems
      : undefined;
  const defaultMenu = menus?.find((m) => m.isDefault);
  const swapMenus = menus?.filter((m) => !m.isDefault) ?? [];
  return (
    <ResourcePage title={t('menus.title')} page={page}>
      {menus ? (
        <>
          {saved ? <SuccessNotice>{t('menus.saved', { name: saved })}</SuccessNotice> : null}
          {deleted ? <SuccessNotice>{t('menus.deleted', { name: deleted })}</SuccessNotice> : null}
          <ProblemNotice problems={deleteProblems} />
          <PublishPanel menus={menus} />
          <section className="res-section" aria-labelledby="default-menu">
            <h2 id="default-menu">{t('menus.default.heading')}</h2>
            <p className="res-lead">{t('menus.default.lead')}</p>
            {defaultMenu ? (
              <>
                <p>
                  <PublishState menu={defaultMenu} />
                </p>
                <MenuEditor
                  key={defaultMenu.id + defaultMenu.updatedAt}
                  id={defaultMenu.id}
                  name={defaultMenu.name}
                  isDefault
                  buttons={defaultMenu.buttons}
                  problems={problemsFor(defaultMenu.id)}
                  heading={defaultMenu.name}
                />
              </>
            ) : (
              <MenuEditor
                name={t('menus.default.suggestedName')}
                isDefault
                buttons={[]}
                problems={problemsFor('new')}
                heading={t('menus.default.create')}
              />
            )}
          </section>
          <section className="res-section" aria-labelledby="swap-menus">
            <h2 id="swap-menus">{t('menus.swap.heading')}</h2>
            <p className="res-lead">{t('menus.swap.lead')}</p>
            {!defaultMenu ? <p className="muted">{t('menus.swap.needDefault')}</p> : null}
            {swapMenus.map((menu) => (
              <div key={menu.id}>
                <p className="res-actions">
                  <PublishState menu={menu} />
                  <span className="muted">
                    {t('menus.swap.tag', { tag: menu.tagName ?? '', followers: menu.followers })}
                  </span>
                  <DeleteMenu menu={menu} />
                </p>
                <MenuEditor
                  key={menu.id + menu.updatedAt}
                  id={menu.id}
                  name={menu.name}
                  isDefault={false}
                  buttons={menu.buttons}
                  problems={problemsFor(menu.id)}
                  heading={menu.name}
                />
              </div>
            ))}
            {defaultMenu ? (
              <MenuEditor
                key={`new-${swapMenus.length}`}
                name=""
                isDefault={false}
                buttons={[]}
                problems={problemsFor('new')}
                heading={t('menus.swap.create')}
              />
            ) : null}
          </section>
        </>
      ) : null}
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
