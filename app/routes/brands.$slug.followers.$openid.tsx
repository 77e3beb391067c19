/**
 * One follower (issue 12): profile, tags, the customer-service quota open now and the timeline
 * in plain language, newest first — the follower API's answer (services/analytics/timeline.ts)
 * shown in the reader's language, times in the brand's zone. Any member may read it; editors
 * and above mark the fan as a test follower (issue 11, services/test-sends) or remove them.
 */
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormProblems } from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { SuccessNotice } from '~/components/resources/problems';
import { useSubmitting } from '~/components/resources/use-action-state';
import resourcesCss from '~/components/resources/resources.css?url';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { requireMember } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { formAction } from '~/lib/http/guard.server';
import { quotaText } from '~/lib/engine';
import { memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { testFollowerAction } from '~/lib/test-sends.server';
import { REQUIRED_ROLE, can } from '../../services/members/roles';
import { MAX_LABEL_CHARS, MAX_TEST_FOLLOWERS } from '../../services/test-sends';

export const links = () => [{ rel: 'stylesheet', href: resourcesCss }];

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [
    {
      title: t('app.pageTitle', {
        page: loaded
          ? t('follower.title', { openid: loaded.follower.openid })
          : t('errors.notFoundTitle'),
      }),
    },
  ];
};

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const brand = await memberBrand(member);
  const url = new URL(request.url);
  const result = await services.analytics.followers.read(brand.id, params.openid ?? '', {
    limit: url.searchParams.get('limit'),
  });
  if (!result.ok) throw data(null, { status: result.status });
  const lang = resolveLanguage(request);
  const when = (iso: unknown) =>
    typeof iso === 'string' ? formatDateTime(new Date(iso), lang, brand.timezone) : null;
  const f = result.follower;
  const tester = (await services.testSends.listTestFollowers(actor, brand.slug)).find(
    (t) => t.openid === f.openid,
  );
  return {
    lang,
    testFollower: {
      marked: Boolean(tester),
      label: tester?.label ?? '',
      canEdit: can(member.role, 'resources.manage'),
    },
    follower: {
      openid: f.openid,
      subscribed: f.profile.subscribed === true,
      since: when(f.profile.subscribedAt),
      qrScene: typeof f.profile.qrScene === 'string' ? f.profile.qrScene : null,
      tags: f.tags,
      // The API's sentence carries ISO time; the page says it in the reader's words and zone.
      quota:
        f.quota.open && f.quota.expiresAt
          ? quotaText({ left: f.quota.left, expiresAt: when(f.quota.expiresAt)! }, null)[lang]
          : f.quota.text[lang],
      quotaOpen: f.quota.open,
    },
    timeline: f.timeline.map((e, i) => ({
      key: `${e.at}-${i}`,
      at: when(e.at),
      kind: e.kind,
      text: e.text[lang],
    })),
  };
}

/** Mark the fan as a test follower (intent `mark`, with a label) or remove them (`unmark`). */
export async function action({ params, request }: ActionFunctionArgs) {
  const { actor, member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  // The fan is the one of the URL, whatever the form says.
  form.set('openid', params.openid ?? '');
  const answer = await testFollowerAction(actor, member.brand.slug, form);
  if (!answer) throw data({ reason: 'bad-intent' }, { status: 400 });
  return answer.ok ? answer : data(answer, { status: 400 });
}

function TestFollowerSection() {
  const { t } = useTranslation('resources');
  const { testFollower } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const submitting = useSubmitting(testFollower.marked ? 'unmark' : 'mark');
  const { marked, label, canEdit } = testFollower;
  return (
    <section aria-labelledby="follower-test" data-testid="test-follower">
      <h2 id="follower-test">{t('testFollowers.follower.heading')}</h2>
      {answer && !answer.ok ? <FormProblems problems={answer.problems} fields={[]} /> : null}
      {answer?.ok ? (
        <SuccessNotice>
          {t(
            answer.intent === 'mark'
              ? 'testFollowers.follower.marked'
              : 'testFollowers.follower.unmarked',
          )}
        </SuccessNotice>
      ) : null}
      <p>
        {marked
          ? label
            ? t('testFollowers.follower.isLabelled', { label })
            : t('testFollowers.follower.is')
          : t('testFollowers.follower.isNot', { max: MAX_TEST_FOLLOWERS })}
      </p>
      {canEdit ? (
        <div className="res-form">
          <Form method="post" className="res-form">
            <input type="hidden" name="intent" value="mark" />
            <div className="res-field">
              <label htmlFor="test-label">{t('testFollowers.follower.label')}</label>
              <input
                id="test-label"
                name="label"
                type="text"
                maxLength={MAX_LABEL_CHARS}
                defaultValue={label}
                key={label}
                autoComplete="off"
              />
            </div>
            <button type="submit" className="button" disabled={submitting}>
              {marked ? t('testFollowers.follower.saveLabel') : t('testFollowers.follower.mark')}
            </button>
          </Form>
          {marked ? (
            <Form method="post">
              <input type="hidden" name="intent" value="unmark" />
              <button type="submit" className="button button--secondary" disabled={submitting}>
                {t('testFollowers.follower.unmark')}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export default function FollowerPage() {
  const { t } = useTranslation();
  const { follower, timeline } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t('follower.title', { openid: follower.openid })}</h1>
          <p className="page-header__sub">
            {follower.subscribed
              ? t('follower.following', { since: follower.since ?? '—' })
              : t('follower.notFollowing')}
            {follower.qrScene ? ` · ${t('follower.cameBy', { scene: follower.qrScene })}` : null}
          </p>
        </div>
      </div>
      <section aria-labelledby="follower-tags">
        <h2 id="follower-tags">{t('follower.tags')}</h2>
        <p>
          {follower.tags.length
            ? follower.tags.join(t('follower.listSeparator'))
            : t('follower.noTags')}
        </p>
      </section>
      <section aria-labelledby="follower-quota">
        <h2 id="follower-quota">{t('follower.quota')}</h2>
        <p data-open={follower.quotaOpen}>{follower.quota}</p>
      </section>
      <TestFollowerSection />
      <section aria-labelledby="follower-timeline">
        <h2 id="follower-timeline">{t('follower.timeline')}</h2>
        {timeline.length ? (
          <ol className="follower-timeline" data-testid="timeline">
            {timeline.map((e) => (
              <li key={e.key} data-kind={e.kind}>
                <time>{e.at}</time> {e.text}
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('follower.empty')}</p>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
