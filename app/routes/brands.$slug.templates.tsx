/**
 * /brands/<slug>/templates — the flow template library of the brand's organization (issue 13;
 * not the WeChat message templates, which are /message-templates): search, a read-only preview
 * of each template's steps and parameters, its versions with what changed between them, and
 * which brands use it. "Use" opens a binding form with one field per parameter whose choices are
 * this brand's own coupon pools, menus, tags, QR scenes and message templates; the result is a
 * draft flow that remembers the template version. Flows of this brand made from a template show
 * "update available" with the diff, and updating keeps their bindings. Admins save a flow of the
 * brand as a template. Every loader and action checks the role (the services check again).
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
} from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import flowStyles from '@xyflow/react/dist/style.css?url';
import type { LinksFunction } from '@remix-run/node';
import { FlowViewer } from '~/components/flow/viewer';
import editorStyles from '~/styles/editor.css?url';
import { FormProblems } from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { SuccessNotice } from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { requireMember } from '~/lib/auth.server';
import { problemsOf } from '~/lib/brands/problems.server';
import { kindTitle, type FlowDiff, type Issue, type Lang, type Parameter } from '~/lib/engine';
import { formatDateTime } from '~/lib/format';
import { formAction } from '~/lib/http/guard.server';
import { flowPath, sectionPath } from '~/lib/paths';
import { brandPage, field } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { REQUIRED_ROLE, can } from '../../services/members/roles';

/** The resource pages' styles, and the canvas' for the read-only preview of a template. */
export const links: LinksFunction = () => [
  ...resourceLinks(),
  { rel: 'stylesheet', href: flowStyles },
  { rel: 'stylesheet', href: editorStyles },
];
export const meta = resourceMeta('templates.title');

type ChoiceKind = 'couponPool' | 'menu' | 'tag' | 'qrScene' | 'template';
const CHOICE_KINDS = new Set<string>(['couponPool', 'menu', 'tag', 'qrScene', 'template']);

/** A diff in the reader's language: one line per change. */
function diffLines(diff: FlowDiff | null, lang: Lang): string[] {
  if (!diff) return [];
  const out: string[] = [];
  for (const [node, changes] of Object.entries(diff.stepChanges))
    for (const c of changes)
      out.push(`${node} · ${c.label[lang]}: ${c.before[lang]} → ${c.after[lang]}`);
  for (const c of diff.settingChanges)
    out.push(`${c.label[lang]}: ${c.before[lang]} → ${c.after[lang]}`);
  for (const id of diff.added) out.push(`+ ${id}`);
  for (const id of diff.removed) out.push(`− ${id}`);
  for (const c of diff.connections)
    out.push(`${c.change === 'added' ? '+' : '−'} ${c.from}.${c.port} → ${c.to}`);
  return out;
}

const paramLabel = (p: Parameter, lang: Lang) => p.labels?.[lang] || p.label || p.name;
const issueLines = (issues: Issue[], lang: Lang) =>
  issues.map((i) => ({ code: i.code, severity: i.severity, text: i.message[lang] }));

export async function loader({ params, request }: LoaderFunctionArgs) {
  const signedIn = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const { brand, page } = await brandPage(signedIn);
  const lang: Lang = resolveLanguage(request) === 'zh-CN' ? 'zh-CN' : 'en';
  const url = new URL(request.url);
  const search = url.searchParams.get('q')?.trim() ?? '';
  const org = await services.flowTemplates.organizationOfBrand(brand.slug);
  const base = {
    lang,
    page,
    search,
    /** "Save as template" from the flow editor preselects its flow. */
    saveFlow: url.searchParams.get('save') ?? '',
    canUse: can(page.role, 'templates.use'),
    // Publishing to the library takes an organization admin (not a brand's).
    canPublish: await services.flowTemplates.canPublish(signedIn.actor, brand.slug),
  };
  if (!org)
    return {
      ...base,
      organization: null,
      templates: [],
      selected: null,
      binding: null,
      mine: [],
      brandFlows: [],
      candidates: [],
    };
  const actor = signedIn.actor;
  const templates = await services.flowTemplates.list(actor, org.slug, { search });
  const selectedId = url.searchParams.get('template');
  const useId = url.searchParams.get('use');
  const detail =
    selectedId && templates.some((t) => t.id === selectedId)
      ? await services.flowTemplates.detail(actor, org.slug, selectedId)
      : null;
  const useDetail =
    useId && templates.some((t) => t.id === useId)
      ? await services.flowTemplates.detail(actor, org.slug, useId)
      : null;
  const choices = useDetail ? await services.flowTemplates.bindingChoices(actor, brand.slug) : null;
  const statuses = await services.flowTemplates.statusesOfBrand(actor, brand.slug);
  const brandFlows = await services.flowTemplates.flowsOfBrand(actor, brand.slug);
  // "Save as template": the chosen flow (?save=, else the first) and what of it can become a
  // parameter — the list follows the flow choice (the form reloads the page with ?save=).
  const saveFlow = brandFlows.some((f) => f.id === base.saveFlow)
    ? base.saveFlow
    : (brandFlows[0]?.id ?? '');
  const candidates =
    base.canPublish && saveFlow
      ? (
          await services.flowTemplates.parameterCandidates(actor, {
            brandSlug: brand.slug,
            flow: saveFlow,
          })
        ).map((c) => ({
          path: c.path,
          kind: c.kind,
          resource: c.resource,
          name: c.name,
          value: c.value[lang],
          step: c.step[lang],
          field: c.field[lang],
        }))
      : [];
  const nameOf = new Map(brandFlows.map((f) => [f.id, f.name]));
  const mine = await Promise.all(
    [...statuses.entries()].map(async ([flowId, s]) => {
      const withDiff = s.updateAvailable
        ? await services.flowTemplates.status(actor, brand.slug, flowId)
        : null;
      return {
        flowId,
        flowName: nameOf.get(flowId) ?? flowId,
        templateName: s.templateName,
        version: s.version,
        latestVersion: s.latestVersion,
        updateAvailable: s.updateAvailable,
        changes: diffLines(withDiff?.diff ?? null, lang),
      };
    }),
  );
  return {
    ...base,
    organization: { name: org.name },
    templates: templates.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      latestVersion: t.latestVersion,
      createdBy: t.createdBy,
      updatedAt: formatDateTime(t.updatedAt, lang, brand.timezone),
      parameters: t.parameters,
      usedBy: t.usedBy.map((u) => `${u.brandName} · ${u.flowName} (v${u.version})`),
    })),
    selected: detail
      ? {
          id: detail.id,
          name: detail.name,
          document: detail.versions[0]!.document,
          steps: detail.versions[0]!.document.nodes.map((n) => ({
            id: n.id,
            label: n.label ?? '',
            kind: kindTitle(n.kind)?.[lang] ?? n.kind,
          })),
          parameters: (detail.versions[0]!.document.parameters ?? []).map((p) => ({
            name: p.name,
            kind: p.kind,
            label: paramLabel(p, lang),
            default: p.default ?? '',
          })),
          versions: detail.versions.map((v) => ({
            version: v.version,
            description: v.description,
            createdBy: v.createdBy,
            createdAt: formatDateTime(v.createdAt, lang, brand.timezone),
            changes: diffLines(v.diff, lang),
          })),
        }
      : null,
    binding:
      useDetail && choices
        ? {
            id: useDetail.id,
            name: useDetail.name,
            version: useDetail.latestVersion,
            parameters: (useDetail.versions[0]!.document.parameters ?? []).map((p) => ({
              name: p.name,
              kind: p.kind,
              label: paramLabel(p, lang),
              description: p.description ?? '',
              default: p.default ?? '',
              choices: CHOICE_KINDS.has(p.kind) ? choices[p.kind as ChoiceKind] : null,
            })),
          }
        : null,
    mine,
    brandFlows,
    saveFlow,
    candidates,
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { actor, member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['templates.use'],
  });
  const lang: Lang = resolveLanguage(request) === 'zh-CN' ? 'zh-CN' : 'en';
  const form = await formAction(request);
  const intent = field(form, 'intent');
  const slug = member.brand.slug;
  try {
    if (intent === 'use') {
      const bindings: Record<string, string> = {};
      for (const [key, value] of form.entries())
        if (key.startsWith('param.') && typeof value === 'string')
          bindings[key.slice('param.'.length)] = value;
      const outcome = await services.flowTemplates.use(actor, {
        brandSlug: slug,
        template: field(form, 'template'),
        bindings,
        ...(field(form, 'name').trim() ? { name: field(form, 'name') } : {}),
      });
      if (!outcome.ok)
        return data(
          { ok: false as const, intent, issues: issueLines(outcome.issues, lang), problems: [] },
          { status: 422 },
        );
      throw redirect(flowPath(slug, outcome.flowId));
    }
    if (intent === 'update') {
      const outcome = await services.flowTemplates.update(actor, slug, field(form, 'flow'));
      if (!outcome.ok)
        return data(
          { ok: false as const, intent, issues: issueLines(outcome.issues, lang), problems: [] },
          { status: 422 },
        );
      return { ok: true as const, intent, version: outcome.version };
    }
    if (intent === 'save') {
      const org = await services.flowTemplates.organizationOfBrand(slug);
      // The ticked rows of the form (`pick` = a path, `paramName.<path>` its name, else the
      // suggested one), then any `path=name` lines of `params` (the CLI's --param syntax).
      const choices = form
        .getAll('pick')
        .filter((v): v is string => typeof v === 'string' && v.length > 0)
        .map((path) => ({
          path,
          name: field(form, `paramName.${path}`).trim() || field(form, `suggested.${path}`),
        }));
      for (const line of field(form, 'params').split(/\r?\n/)) {
        const eq = line.indexOf('=');
        if (!line.trim()) continue;
        choices.push({ path: line.slice(0, eq).trim(), name: line.slice(eq + 1).trim() });
      }
      const exported = await services.flowTemplates.exportFromFlow(actor, {
        brandSlug: slug,
        flow: field(form, 'flow'),
        choices,
      });
      if (!exported.ok)
        return data(
          { ok: false as const, intent, issues: issueLines(exported.issues, lang), problems: [] },
          { status: 422 },
        );
      const name = field(form, 'name').trim();
      const outcome = await services.flowTemplates.publish(actor, {
        organization: org?.slug ?? '',
        document: exported.doc,
        description: field(form, 'description'),
        ...(name ? { name } : {}),
      });
      if (!outcome.ok)
        return data(
          { ok: false as const, intent, issues: issueLines(outcome.issues, lang), problems: [] },
          { status: 422 },
        );
      return { ok: true as const, intent, version: outcome.version, name: outcome.name };
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    const problems = problemsOf(error);
    const status = problems.some((p) => p.code === 'forbidden') ? 403 : 422;
    return data({ ok: false as const, intent, issues: [], problems }, { status });
  }
  throw data({ reason: 'bad-intent' }, { status: 400 });
}

/** The answer to a form, where the form is: saving at the save form, the others on top. */
function ActionResult({ save = false }: { save?: boolean }) {
  const { t } = useTranslation('resources');
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  if (!result || (result.intent === 'save') !== save) return null;
  // The action's answer arrives before the page's data is read again: say "saved" once the
  // list below shows the new template.
  if (navigation.state === 'loading' && navigation.formMethod === 'POST') return null;
  if (result.ok)
    return (
      <SuccessNotice>
        {result.intent === 'save'
          ? t('templates.saved', { name: result.name, version: result.version })
          : t('templates.updated', { version: result.version })}
      </SuccessNotice>
    );
  return (
    <div role="alert" className="res-card" data-testid="template-issues">
      {result.problems.length ? <FormProblems problems={result.problems} fields={[]} /> : null}
      {result.issues.length ? (
        <>
          <p>{t('templates.issuesLead')}</p>
          <ul>
            {result.issues.map((i, n) => (
              <li key={n}>
                <code>{i.code}</code> {i.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function BindingForm() {
  const { t } = useTranslation('resources');
  const { binding } = useLoaderData<typeof loader>();
  const submitting = useSubmitting('use');
  if (!binding) return null;
  return (
    <section className="res-card" aria-labelledby="use-template" data-testid="binding-form">
      <h3 id="use-template">{t('templates.use.heading', { name: binding.name })}</h3>
      <p className="muted">{t('templates.use.lead', { version: binding.version })}</p>
      <Form method="post" className="res-form res-form--stacked tpl-form">
        <input type="hidden" name="intent" value="use" />
        <input type="hidden" name="template" value={binding.id} />
        <div className="res-field">
          <label htmlFor="use-name">{t('templates.use.flowName')}</label>
          <input
            id="use-name"
            type="text"
            name="name"
            defaultValue={binding.name}
            maxLength={100}
          />
        </div>
        {binding.parameters.map((p) => {
          const id = `param-${p.name}`;
          const listId = `${id}-choices`;
          const open = p.kind === 'tag' || p.kind === 'qrScene';
          const hints = [
            p.description,
            // A tag the brand lacks is created on publish: "create one first" would contradict it.
            p.choices && p.choices.length === 0 && p.kind !== 'tag'
              ? t('templates.use.noChoices')
              : '',
            p.kind === 'tag' ? t('templates.use.newTag') : '',
          ].filter(Boolean);
          return (
            <div key={p.name} className="res-field">
              <label htmlFor={id}>
                {p.label} ({t(`templates.kinds.${p.kind}`)})
              </label>
              {p.choices && !open ? (
                <select
                  id={id}
                  name={`param.${p.name}`}
                  defaultValue=""
                  required={!p.default}
                  aria-describedby={hints.length ? `${id}-hint` : undefined}
                >
                  <option value="">
                    {p.default
                      ? t('templates.use.default', { value: p.default })
                      : t('templates.use.choose')}
                  </option>
                  {p.choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <>
                  <input
                    id={id}
                    type="text"
                    name={`param.${p.name}`}
                    placeholder={p.default}
                    required={!p.default}
                    list={p.choices ? listId : undefined}
                    aria-describedby={hints.length ? `${id}-hint` : undefined}
                  />
                  {p.choices ? (
                    <datalist id={listId}>
                      {p.choices.map((c) => (
                        <option key={c} value={c} />
                      ))}
                    </datalist>
                  ) : null}
                </>
              )}
              {hints.length ? (
                <span className="res-field__hint" id={`${id}-hint`}>
                  {hints.join(' ')}
                </span>
              ) : null}
            </div>
          );
        })}
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('templates.use.submit')}
        </button>
      </Form>
    </section>
  );
}

/** The values of the chosen flow that can become parameters: tick, name. */
function ParameterChoices() {
  const { t } = useTranslation('resources');
  const { candidates } = useLoaderData<typeof loader>();
  if (candidates.length === 0)
    return <p className="res-field__hint">{t('templates.save.noCandidates')}</p>;
  return (
    <div className="table-wrap">
      <table className="table tpl-table tpl-params" data-testid="template-param-choices">
        <caption className="visually-hidden">{t('templates.save.paramsHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('templates.save.columns.use')}</th>
            <th scope="col">{t('templates.save.columns.step')}</th>
            <th scope="col">{t('templates.save.columns.value')}</th>
            <th scope="col">{t('templates.save.columns.name')}</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => {
            const id = `pick-${c.path}`;
            const where = { step: c.step, field: c.field };
            return (
              <tr key={c.path} data-testid={`candidate-${c.path}`}>
                <td>
                  {c.resource ? (
                    <>
                      <input type="hidden" name="pick" value={c.path} />
                      <input
                        id={id}
                        type="checkbox"
                        checked
                        disabled
                        aria-label={t('templates.save.pick', where)}
                        title={t('templates.save.always')}
                      />
                    </>
                  ) : (
                    <input
                      id={id}
                      type="checkbox"
                      name="pick"
                      value={c.path}
                      aria-label={t('templates.save.pick', where)}
                    />
                  )}
                </td>
                <td>
                  <label htmlFor={id}>
                    {c.step}
                    <span className="tpl-params__field">
                      {/* 券池 · 券池 says it twice: the kind only when the field is named otherwise. */}
                      {c.field === t(`templates.kinds.${c.kind}`)
                        ? c.field
                        : `${c.field} · ${t(`templates.kinds.${c.kind}`)}`}
                    </span>
                  </label>
                  {c.resource ? (
                    <span className="res-field__hint">{t('templates.save.always')}</span>
                  ) : null}
                </td>
                <td className="tpl-params__value">{c.value}</td>
                <td>
                  <input type="hidden" name={`suggested.${c.path}`} value={c.name} />
                  <input
                    type="text"
                    name={`paramName.${c.path}`}
                    defaultValue={c.name}
                    pattern="[A-Za-z_][A-Za-z0-9_]*"
                    maxLength={60}
                    title={t('templates.save.nameRule')}
                    aria-label={t('templates.save.paramName', where)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SaveForm() {
  const { t } = useTranslation('resources');
  const { brandFlows, saveFlow, page } = useLoaderData<typeof loader>();
  const submitting = useSubmitting('save');
  const navigate = useNavigate();
  const here = sectionPath(page.brand.slug, 'templates');
  return (
    <section className="res-card" aria-labelledby="save-template">
      <h3 id="save-template">{t('templates.save.heading')}</h3>
      <p className="muted">{t('templates.save.lead')}</p>
      <Form method="post" className="res-form res-form--stacked tpl-form">
        <input type="hidden" name="intent" value="save" />
        <div className="res-field">
          <label htmlFor="save-flow">{t('templates.save.flow')}</label>
          <select
            id="save-flow"
            name="flow"
            required
            value={saveFlow}
            aria-describedby="save-flow-hint"
            onChange={(event) =>
              navigate(`${here}?save=${encodeURIComponent(event.currentTarget.value)}`, {
                replace: true,
                preventScrollReset: true,
              })
            }
          >
            {brandFlows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <span className="res-field__hint" id="save-flow-hint">
            {t('templates.save.flowHint')}
          </span>
        </div>
        <div className="res-field">
          <label htmlFor="save-name">{t('templates.save.name')}</label>
          <input
            id="save-name"
            type="text"
            name="name"
            maxLength={100}
            aria-describedby="save-name-hint"
          />
          <span className="res-field__hint" id="save-name-hint">
            {t('templates.save.nameHint')}
          </span>
        </div>
        <div className="res-field">
          <label htmlFor="save-description">{t('templates.save.description')}</label>
          <input
            id="save-description"
            type="text"
            name="description"
            maxLength={500}
            aria-describedby="save-description-hint"
          />
          <span className="res-field__hint" id="save-description-hint">
            {t('templates.save.descriptionHint')}
          </span>
        </div>
        <fieldset className="res-field tpl-form__wide">
          <legend>{t('templates.save.paramsHeading')}</legend>
          <span className="res-field__hint">{t('templates.save.paramsLead')}</span>
          <ParameterChoices key={saveFlow} />
        </fieldset>
        <button type="submit" className="button" disabled={submitting || brandFlows.length === 0}>
          {submitting ? t('common.working') : t('templates.save.submit')}
        </button>
        {/* Under the button the marketer just pressed: the page keeps its scroll position. */}
        <ActionResult save />
      </Form>
    </section>
  );
}

export default function TemplatesPage() {
  const { t } = useTranslation('resources');
  const { lang, page, organization, templates, selected, mine, search, canUse, canPublish } =
    useLoaderData<typeof loader>();
  const here = sectionPath(page.brand.slug, 'templates');
  // The canvas is drawn in the browser only (React Flow measures the page).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <ResourcePage title={t('templates.title')} page={page}>
      <section className="res-section" aria-labelledby="templates">
        <h2 id="templates">
          {organization
            ? t('templates.heading', { organization: organization.name })
            : t('templates.title')}
        </h2>
        <p className="res-lead">{t('templates.lead')}</p>
        <ActionResult />
        {!organization ? (
          <p className="muted">{t('templates.noOrganization')}</p>
        ) : (
          <>
            <Form method="get" className="res-form tpl-search" role="search">
              <div className="res-field">
                <label htmlFor="templates-q">{t('templates.search')}</label>
                <input id="templates-q" type="search" name="q" defaultValue={search} />
              </div>
              <button type="submit" className="button button--secondary">
                {t('templates.searchSubmit')}
              </button>
            </Form>
            {templates.length === 0 ? (
              <p className="muted" data-testid="templates-empty">
                {search ? t('templates.noMatch') : t('templates.empty')}
              </p>
            ) : (
              <div className="table-wrap">
                <table className="table tpl-table tpl-library" data-testid="templates">
                  <caption className="visually-hidden">{t('templates.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('templates.table.name')}</th>
                      <th scope="col">{t('templates.table.parameters')}</th>
                      <th scope="col">{t('templates.table.usedBy')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {templates.map((tpl) => (
                      <tr key={tpl.id}>
                        <th scope="row">
                          {tpl.name}{' '}
                          <span className="res-badge">
                            {t('templates.table.version', { version: tpl.latestVersion })}
                          </span>
                          {tpl.description ? (
                            <div className="tpl-library__description">{tpl.description}</div>
                          ) : null}
                          <div className="tpl-library__by">
                            {t('templates.table.by', { who: tpl.createdBy, at: tpl.updatedAt })}
                          </div>
                        </th>
                        <td>
                          <ul className="tpl-chips">
                            {tpl.parameters.map((p) => (
                              <li key={p.name}>
                                <code>{p.name}</code>{' '}
                                <span className="muted">{t(`templates.kinds.${p.kind}`)}</span>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          {tpl.usedBy.length ? (
                            <ul className="res-keywords">
                              {tpl.usedBy.map((u) => (
                                <li key={u}>{u}</li>
                              ))}
                            </ul>
                          ) : (
                            <span className="muted">{t('templates.table.unused')}</span>
                          )}
                        </td>
                        <td className="tpl-library__actions">
                          <Link to={`${here}?template=${tpl.id}`}>{t('templates.preview')}</Link>
                          {canUse ? (
                            <Link to={`${here}?use=${tpl.id}`} data-testid={`use-${tpl.name}`}>
                              {t('templates.use.link')}
                            </Link>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <BindingForm />
            {selected ? (
              <section className="res-card" data-testid="template-preview">
                <h3>{t('templates.previewHeading', { name: selected.name })}</h3>
                {hydrated ? (
                  <div
                    className="editor editor--viewer"
                    style={{ height: 420, minHeight: 0 }}
                    data-testid="template-canvas"
                  >
                    <FlowViewer
                      key={selected.id}
                      brandSlug={page.brand.slug}
                      flowId={selected.id}
                      doc={selected.document}
                      lang={lang}
                    />
                  </div>
                ) : null}
                <ol>
                  {selected.steps.map((s) => (
                    <li key={s.id}>
                      {s.label ? `${s.label} · ` : ''}
                      <span className="muted">{s.kind}</span>
                    </li>
                  ))}
                </ol>
                <h4>{t('templates.parameters')}</h4>
                <ul>
                  {selected.parameters.map((p) => (
                    <li key={p.name}>
                      {p.label} ({t(`templates.kinds.${p.kind}`)})
                      {p.default ? ` — ${t('templates.use.default', { value: p.default })}` : ''}
                    </li>
                  ))}
                </ul>
                <h4>{t('templates.versions')}</h4>
                <ul data-testid="template-versions">
                  {selected.versions.map((v) => (
                    <li key={v.version}>
                      {t('templates.table.version', { version: v.version })} ·{' '}
                      {t('templates.table.by', { who: v.createdBy, at: v.createdAt })}
                      {v.changes.length ? (
                        <ul>
                          {v.changes.map((c, i) => (
                            <li key={i}>{c}</li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {mine.length ? (
              <section className="res-card" aria-labelledby="from-templates">
                <h3 id="from-templates">{t('templates.mine.heading')}</h3>
                <ul data-testid="flows-from-templates">
                  {mine.map((f) => (
                    <li key={f.flowId}>
                      <Link to={flowPath(page.brand.slug, f.flowId)}>{f.flowName}</Link> —{' '}
                      {f.templateName} {t('templates.table.version', { version: f.version })}{' '}
                      {f.updateAvailable ? (
                        <>
                          <strong data-testid="update-available">
                            {t('templates.mine.updateAvailable', { version: f.latestVersion })}
                          </strong>
                          <ul>
                            {f.changes.map((c, i) => (
                              <li key={i}>{c}</li>
                            ))}
                          </ul>
                          {canUse ? (
                            <Form method="post">
                              <input type="hidden" name="intent" value="update" />
                              <input type="hidden" name="flow" value={f.flowId} />
                              <button type="submit" className="button">
                                {t('templates.mine.update')}
                              </button>
                            </Form>
                          ) : null}
                        </>
                      ) : (
                        <span className="muted">{t('templates.mine.upToDate')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
            {canPublish ? (
              <SaveForm />
            ) : (
              <p className="muted" id="save-template">
                {t('templates.save.adminsOnly')}
              </p>
            )}
          </>
        )}
      </section>
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
