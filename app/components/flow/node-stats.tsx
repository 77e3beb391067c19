/**
 * Numbers on the canvas: what each step of the live version did (entered, waiting now,
 * completed, exited, failed; a push's messages sent and skipped, by reason on hover), from the
 * flow's counters (services/analytics/stats.ts, the stats API's shape). Absent for a flow
 * never published.
 */
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonText, type Lang } from '../../lib/engine';
import type { NodeStats } from '../../../services/analytics/stats';

/** One step's counters, as the stats API gives them. */
export type CanvasNodeStats = NodeStats;

export const NodeStatsContext = createContext<Record<string, CanvasNodeStats> | null>(null);

export function NodeStatsLine({ nodeId, kind }: { nodeId: string; kind: string }) {
  const stats = useContext(NodeStatsContext);
  const { t, i18n } = useTranslation();
  const s = stats?.[nodeId];
  if (!s) return null;
  const lang: Lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const number = (n: number) => n.toLocaleString(lang);
  const skipped = Object.entries(s.messages.skipped);
  const skippedTotal = skipped.reduce((sum, [, n]) => sum + n, 0);
  return (
    <div className="flow-node__stats" data-testid="node-stats">
      <span title={t('editor.stats.enteredHint')}>
        {t('editor.stats.entered', { n: number(s.entered) })}
      </span>
      {s.waiting ? <span>{t('editor.stats.waiting', { n: number(s.waiting) })}</span> : null}
      <span>{t('editor.stats.completed', { n: number(s.completed) })}</span>
      {s.exited ? <span>{t('editor.stats.exited', { n: number(s.exited) })}</span> : null}
      {s.failed ? (
        <span className="flow-node__stats--bad">
          {t('editor.stats.failed', { n: number(s.failed) })}
        </span>
      ) : null}
      {kind === 'action.push' ? (
        <>
          <span>{t('editor.stats.sent', { n: number(s.messages.sent) })}</span>
          {skippedTotal ? (
            <span
              className="flow-node__stats--warn"
              title={skipped
                .map(([reason, n]) => `${number(n)} × ${reasonText(reason)[lang]}`)
                .join('\n')}
            >
              {t('editor.stats.skipped', { n: number(skippedTotal) })}
            </span>
          ) : null}
          {s.messages.failed ? (
            <span className="flow-node__stats--bad">
              {t('editor.stats.sendFailed', { n: number(s.messages.failed) })}
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
