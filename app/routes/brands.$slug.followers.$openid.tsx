/**
 * One follower (issue 12): profile, tags, the customer-service quota open now and the timeline
 * in plain language, newest first — the follower API's answer (services/analytics/timeline.ts)
 * shown in the reader's language, times in the brand's zone. Any member may read it.
 */
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorView } from '~/components/error-view';
import resourcesCss from '~/components/resources/resources.css?url';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { requireMember } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { quotaText } from '~/lib/engine';
import { memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

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
  const { member } = await requireMember(request, {
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
  return {
    lang,
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
