/**
 * Pickers for the brand's resources (tags, coupon pools, menus, QR scenes, message
 * templates), read from the database with the page. When the brand has none yet, a hint
 * links to the page where they are made.
 */
import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { sectionPath } from '~/lib/paths';
import { ListField, SelectField, TextField, useEditorContext } from './fields';

type ResourcePage = 'tags' | 'coupons' | 'menus' | 'qr' | 'message-templates';

function EmptyHint({
  what,
  to,
}: {
  what: 'tags' | 'pools' | 'menus' | 'scenes' | 'templates';
  to?: ResourcePage;
}) {
  const { t } = useTranslation();
  const { brandSlug } = useEditorContext();
  return (
    <span className="resource-hint" data-empty={what}>
      {t(`editor.resources.empty.${what}`)}{' '}
      {to ? (
        <Link to={sectionPath(brandSlug, to)} target="_blank" rel="noreferrer">
          {t(`editor.resources.manage.${what}`)}
        </Link>
      ) : null}
    </span>
  );
}

/** Tags: pick existing ones or type a new name (it is created for the brand at once). */
export function TagListPicker(props: {
  label?: string;
  path: string;
  values: string[] | undefined;
  onChange(values: string[]): void;
}) {
  const { t } = useTranslation();
  const { resources, createTag } = useEditorContext();
  return (
    <ListField
      label={props.label}
      path={props.path}
      values={props.values}
      onChange={props.onChange}
      suggestions={resources.tags}
      placeholder={t('editor.resources.tagPlaceholder')}
      onCreate={createTag}
      hint={
        resources.tags.length ? (
          t('editor.resources.tagCreateHint')
        ) : (
          <EmptyHint what="tags" to="tags" />
        )
      }
    />
  );
}

export function TagPicker(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
}) {
  const { resources } = useEditorContext();
  return (
    <>
      <TextField
        label={props.label}
        path={props.path}
        value={props.value}
        onChange={props.onChange}
        hint={resources.tags.length ? undefined : <EmptyHint what="tags" to="tags" />}
      />
      {resources.tags.length ? (
        <SuggestionRow values={resources.tags} onPick={props.onChange} />
      ) : null}
    </>
  );
}

function SuggestionRow({
  values,
  onPick,
}: {
  values: readonly string[];
  onPick(value: string): void;
}) {
  const { t } = useTranslation();
  return (
    <div className="suggestions" role="group" aria-label={t('editor.resources.suggestions')}>
      {values.slice(0, 12).map((v) => (
        <button key={v} type="button" className="suggestion" onClick={() => onPick(v)}>
          {v}
        </button>
      ))}
    </div>
  );
}

export function CouponPoolPicker(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const pools = resources.couponPools;
  const options = pools.map((p) => ({
    value: p.name,
    label: t('editor.resources.poolOption', { name: p.name, available: p.available }),
  }));
  if (props.value && !pools.some((p) => p.name === props.value)) {
    options.unshift({
      value: props.value,
      label: t('editor.resources.unknownOption', { name: props.value }),
    });
  }
  return (
    <SelectField
      label={props.label}
      path={props.path}
      value={props.value || undefined}
      options={options}
      placeholder={t('editor.resources.choosePool')}
      onChange={props.onChange}
      hint={pools.length ? undefined : <EmptyHint what="pools" to="coupons" />}
    />
  );
}

export function MenuPicker(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const menus = resources.menus;
  const options = menus.map((m) => ({
    value: m.name,
    label: m.isDefault ? t('editor.resources.defaultMenuOption', { name: m.name }) : m.name,
  }));
  if (props.value && !menus.some((m) => m.name === props.value)) {
    options.unshift({
      value: props.value,
      label: t('editor.resources.unknownOption', { name: props.value }),
    });
  }
  return (
    <SelectField
      label={props.label}
      path={props.path}
      value={props.value || undefined}
      options={options}
      placeholder={t('editor.resources.chooseMenu')}
      onChange={props.onChange}
      hint={menus.length ? undefined : <EmptyHint what="menus" to="menus" />}
    />
  );
}

/** QR scenes: exact values of the brand's channels, or a prefix ending in `*`. */
export function ScenesPicker(props: {
  label?: string;
  path: string;
  values: string[] | undefined;
  onChange(values: string[]): void;
}) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const scenes = resources.qrChannels.map((q) => q.scene);
  return (
    <ListField
      label={props.label}
      path={props.path}
      values={props.values}
      onChange={props.onChange}
      suggestions={scenes}
      placeholder={t('editor.resources.scenePlaceholder')}
      hint={scenes.length ? t('editor.resources.sceneHint') : <EmptyHint what="scenes" to="qr" />}
    />
  );
}

export function TemplatePicker(props: {
  label?: string;
  path: string;
  value: string | undefined;
  onChange(value: string): void;
}) {
  const { t } = useTranslation();
  const { resources } = useEditorContext();
  const templates = resources.templates;
  const options = templates.map((m) => ({
    value: m.templateId,
    label: t('editor.composer.templateOption', { title: m.title || m.name, id: m.templateId }),
  }));
  // A flow may name a template by our name (older flows): that still selects it.
  const named = templates.find((m) => m.templateId !== props.value && m.name === props.value);
  if (named)
    options.unshift({
      value: props.value!,
      label: options.find((o) => o.value === named.templateId)!.label,
    });
  else if (props.value && !templates.some((m) => m.templateId === props.value)) {
    options.unshift({
      value: props.value,
      label: t('editor.resources.unknownOption', { name: props.value }),
    });
  }
  return (
    <SelectField
      label={props.label}
      path={props.path}
      value={props.value || undefined}
      options={options}
      placeholder={t('editor.resources.chooseTemplate')}
      onChange={props.onChange}
      hint={templates.length ? undefined : <EmptyHint what="templates" to="message-templates" />}
    />
  );
}
