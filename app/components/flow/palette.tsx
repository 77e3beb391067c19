/**
 * The palette: node kinds grouped Triggers / Logic / Actions. Drag an item onto the canvas
 * (or onto a connection to insert it there); with the keyboard, Enter adds it in view — onto
 * the selected connection when there is one.
 */
import { useTranslation } from 'react-i18next';
import type { NodeKind } from '~/lib/engine';
import { PALETTE_MIME } from './canvas';
import { kindsIn, PALETTE_GROUPS } from './kinds';
import { nodeUi } from './nodes/index';
import { useKindText } from './nodes/types';

function PaletteItem({
  kind,
  onAdd,
  disabled,
}: {
  kind: NodeKind;
  onAdd(kind: NodeKind): void;
  disabled: boolean;
}) {
  const { title, help } = useKindText(kind);
  return (
    <li>
      <button
        type="button"
        className={`palette__item palette__item--${kind.split('.')[0]}`}
        draggable={!disabled}
        disabled={disabled}
        data-kind={kind}
        aria-describedby={`palette-help-${kind}`}
        onDragStart={(event) => {
          event.dataTransfer.setData(PALETTE_MIME, kind);
          event.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => onAdd(kind)}
      >
        <span className="palette__icon" aria-hidden="true">
          {nodeUi[kind].icon}
        </span>
        <span className="palette__text">
          <span className="palette__title">{title}</span>
          <span className="palette__help" id={`palette-help-${kind}`}>
            {help}
          </span>
        </span>
      </button>
    </li>
  );
}

export function Palette({ onAdd, disabled }: { onAdd(kind: NodeKind): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <nav className="palette" aria-label={t('editor.palette.label')}>
      <p className="palette__hint">{t('editor.palette.hint')}</p>
      {PALETTE_GROUPS.map((group) => (
        <section key={group} className="palette__group" aria-labelledby={`palette-group-${group}`}>
          <h2 id={`palette-group-${group}`} className="palette__heading">
            {t(`editor.palette.groups.${group}`)}
          </h2>
          <ul>
            {kindsIn(group).map((kind) => (
              <PaletteItem key={kind} kind={kind} onAdd={onAdd} disabled={disabled} />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
