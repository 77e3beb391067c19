import { Form } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MENU_LIMITS,
  emptyButton,
  emptyLeaf,
  type DraftButton,
  type DraftLeaf,
} from '../../../services/menus/draft';
import { utf8Bytes, type Problem } from '../../../services/resources/problems';
import { FieldError, ProblemNotice, fieldProblem } from './problems';
import { useSubmitting } from './use-action-state';

interface LeafFieldsProps {
  prefix: string;
  leaf: DraftLeaf | DraftButton;
  maxNameBytes: number;
  allowGroup: boolean;
  problems: Problem[] | undefined;
  onChange: (patch: Partial<DraftButton>) => void;
}

/** Name, type and the key or URL of one button; the inputs' names are what the server reads. */
function ButtonFields({
  prefix,
  leaf,
  maxNameBytes,
  allowGroup,
  problems,
  onChange,
}: LeafFieldsProps) {
  const { t } = useTranslation('resources');
  const id = (part: string) => `${prefix}-${part}`.replace(/\./g, '-');
  const input = (part: 'name' | 'key' | 'url', label: string, hint?: string) => {
    const problem = fieldProblem(problems, `${prefix}.${part}`);
    return (
      <div className="res-field">
        <label htmlFor={id(part)}>{label}</label>
        <input
          id={id(part)}
          name={`${prefix}.${part}`}
          type={part === 'url' ? 'url' : 'text'}
          value={leaf[part]}
          onChange={(e) => onChange({ [part]: e.currentTarget.value })}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? id(`${part}-error`) : hint ? id(`${part}-hint`) : undefined}
          autoComplete="off"
        />
        {hint ? (
          <span className="res-field__hint" id={id(`${part}-hint`)}>
            {hint}
          </span>
        ) : null}
        <FieldError id={id(`${part}-error`)} problem={problem} />
      </div>
    );
  };
  return (
    <>
      {input(
        'name',
        t('menus.editor.buttonName'),
        t('menus.editor.nameBytes', { used: utf8Bytes(leaf.name.trim()), max: maxNameBytes }),
      )}
      <div className="res-field">
        <label htmlFor={id('type')}>{t('menus.editor.type')}</label>
        <select
          id={id('type')}
          name={`${prefix}.type`}
          value={leaf.type}
          onChange={(e) => onChange({ type: e.currentTarget.value as DraftButton['type'] })}
        >
          <option value="click">{t('menus.editor.types.click')}</option>
          <option value="view">{t('menus.editor.types.view')}</option>
          {allowGroup ? <option value="group">{t('menus.editor.types.group')}</option> : null}
        </select>
      </div>
      {leaf.type === 'click'
        ? input('key', t('menus.editor.key'), t('menus.editor.keyHint'))
        : null}
      {leaf.type === 'view' ? input('url', t('menus.editor.url')) : null}
    </>
  );
}

export interface MenuEditorProps {
  /** Absent for a new menu. */
  id?: string;
  name: string;
  isDefault: boolean;
  buttons: DraftButton[];
  problems: Problem[] | undefined;
  heading: string;
}

/** ≤ 3 top buttons, each a click/view button or a group of ≤ 5 sub-buttons. */
export function MenuEditor({
  id,
  name,
  isDefault,
  buttons: initial,
  problems,
  heading,
}: MenuEditorProps) {
  const { t } = useTranslation('resources');
  const [menuName, setMenuName] = useState(name);
  const [buttons, setButtons] = useState<DraftButton[]>(
    initial.length > 0 ? initial : [emptyButton()],
  );
  const submitting = useSubmitting('save', id ?? 'new');
  const formId = `menu-${id ?? (isDefault ? 'new-default' : 'new-swap')}`;
  const nameProblem = fieldProblem(problems, 'name');

  const update = (i: number, patch: Partial<DraftButton>) =>
    setButtons((all) =>
      all.map((b, k) => {
        if (k !== i) return b;
        const next = { ...b, ...patch };
        if (next.type === 'group' && next.subs.length === 0) next.subs = [emptyLeaf()];
        return next;
      }),
    );
  const updateSub = (i: number, j: number, patch: Partial<DraftButton>) =>
    setButtons((all) =>
      all.map((b, k) =>
        k !== i
          ? b
          : { ...b, subs: b.subs.map((s, m) => (m !== j ? s : ({ ...s, ...patch } as DraftLeaf))) },
      ),
    );

  return (
    <section className="res-card" aria-labelledby={`${formId}-heading`}>
      <h3 id={`${formId}-heading`}>{heading}</h3>
      <ProblemNotice problems={problems} exceptFields />
      <Form method="post" className="res-form res-form--stack" id={formId}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="id" value={id ?? 'new'} />
        <input type="hidden" name="isDefault" value={isDefault ? '1' : ''} />
        {id ? (
          <input type="hidden" name="name" value={menuName} />
        ) : (
          <div className="res-field">
            <label htmlFor={`${formId}-name`}>{t('menus.editor.menuName')}</label>
            <input
              id={`${formId}-name`}
              name="name"
              type="text"
              value={menuName}
              onChange={(e) => setMenuName(e.currentTarget.value)}
              aria-invalid={nameProblem ? true : undefined}
              aria-describedby={`${formId}-name-hint`}
              autoComplete="off"
            />
            <span className="res-field__hint" id={`${formId}-name-hint`}>
              {t('menus.editor.menuNameHint', { max: MENU_LIMITS.menuNameBytes })}
            </span>
            <FieldError id={`${formId}-name-error`} problem={nameProblem} />
          </div>
        )}
        <div className="menu-editor__buttons">
          {buttons.map((button, i) => (
            <fieldset key={i} className="menu-slot">
              <legend>{t('menus.editor.topButton', { n: i + 1 })}</legend>
              <ButtonFields
                prefix={`b${i}`}
                leaf={button}
                maxNameBytes={MENU_LIMITS.topNameBytes}
                allowGroup
                problems={problems}
                onChange={(patch) => update(i, patch)}
              />
              {button.type === 'group' ? (
                <div className="menu-slot__subs">
                  {button.subs.map((sub, j) => (
                    <fieldset key={j} className="menu-sub">
                      <legend>{t('menus.editor.subButton', { n: j + 1 })}</legend>
                      <ButtonFields
                        prefix={`b${i}.s${j}`}
                        leaf={sub}
                        maxNameBytes={MENU_LIMITS.subNameBytes}
                        allowGroup={false}
                        problems={problems}
                        onChange={(patch) => updateSub(i, j, patch)}
                      />
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => update(i, { subs: button.subs.filter((_, m) => m !== j) })}
                      >
                        {t('menus.editor.removeSub')}
                      </button>
                    </fieldset>
                  ))}
                  {button.subs.length < MENU_LIMITS.subButtons ? (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => update(i, { subs: [...button.subs, emptyLeaf()] })}
                    >
                      {t('menus.editor.addSub')}
                    </button>
                  ) : null}
                </div>
              ) : null}
              <button
                type="button"
                className="button button--danger button--small"
                onClick={() => setButtons((all) => all.filter((_, k) => k !== i))}
              >
                {t('menus.editor.removeButton')}
              </button>
            </fieldset>
          ))}
        </div>
        <div className="res-actions">
          {buttons.length < MENU_LIMITS.topButtons ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setButtons((all) => [...all, emptyButton()])}
            >
              {t('menus.editor.addButton')}
            </button>
          ) : null}
          <button type="submit" className="button" disabled={submitting}>
            {submitting ? t('common.working') : t('menus.editor.save')}
          </button>
        </div>
      </Form>
    </section>
  );
}
