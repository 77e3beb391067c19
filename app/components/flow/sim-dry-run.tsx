/**
 * "Dry run on real followers": the draft (as it is in the editor, saved or not) runs on the
 * simulator for a random sample of the brand's followers as stored (POST <flow>/dry-run,
 * services/flows/simulation.ts) — nothing is sent or stored. Shows how many would enter, why
 * the others would not, and per step how many would reach it, leave by each port, receive its
 * message or not and why (engine/outcomes.ts words), with a bar per step.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOT_ENTERED, type DryRunResult } from '../../../engine/simulate/index';
import type { FlowDraft } from '~/lib/engine';
import { portLabel, reasonText } from '~/lib/engine';
import { useLang } from './labels';

const SAMPLES = [100, 1000, 10_000] as const;

type Answer =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; sampled: number; total: number; result: DryRunResult }
  | { state: 'error'; message: string };

export function SimDryRun({
  url,
  doc,
  stepName,
}: {
  url: string;
  doc: FlowDraft;
  stepName: (nodeId: string) => string;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [sample, setSample] = useState<number>(1000);
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' });

  const run = async () => {
    setAnswer({ state: 'running' });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ document: doc, sample }),
      });
      const body = (await response.json().catch(() => null)) as {
        ok?: boolean;
        sampled?: number;
        total?: number;
        result?: DryRunResult;
        message?: string;
      } | null;
      if (response.ok && body?.ok && body.result)
        setAnswer({
          state: 'done',
          sampled: body.sampled ?? 0,
          total: body.total ?? 0,
          result: body.result,
        });
      else
        setAnswer({
          state: 'error',
          message: body?.message ?? t('editor.dryRun.failed', { code: `HTTP_${response.status}` }),
        });
    } catch {
      setAnswer({ state: 'error', message: t('editor.dryRun.failed', { code: 'E_NETWORK' }) });
    }
  };

  const result = answer.state === 'done' ? answer.result : null;
  const steps = result
    ? doc.nodes.filter(
        (n) => (result.nodes[n.id]?.reached ?? 0) > 0 && !n.kind.startsWith('trigger.'),
      )
    : [];
  const most = result ? Math.max(1, result.entered) : 1;

  return (
    <section className="sim-dry" data-testid="sim-dry-run" aria-labelledby="sim-dry-heading">
      <h3 id="sim-dry-heading">{t('editor.dryRun.title')}</h3>
      <p className="muted">{t('editor.dryRun.intro')}</p>
      <div className="sim-dry__controls">
        <label>
          {t('editor.dryRun.sample')}{' '}
          <select value={sample} onChange={(e) => setSample(Number(e.target.value))}>
            {SAMPLES.map((n) => (
              <option key={n} value={n}>
                {t('editor.dryRun.sampleOption', { n: n.toLocaleString(lang) })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={answer.state === 'running'}
          onClick={() => void run()}
        >
          {answer.state === 'running' ? t('editor.dryRun.running') : t('editor.dryRun.run')}
        </button>
      </div>
      {answer.state === 'error' ? (
        <p role="alert" className="sim-dry__error">
          {answer.message}
        </p>
      ) : null}
      {answer.state === 'done' && result ? (
        <div data-testid="sim-dry-run-result">
          <p>
            <strong>
              {t('editor.dryRun.summary', {
                sampled: answer.sampled.toLocaleString(lang),
                total: answer.total.toLocaleString(lang),
                entered: result.entered.toLocaleString(lang),
              })}
            </strong>
          </p>
          {Object.keys(result.notEntered).length ? (
            <ul className="sim-dry__why">
              {Object.entries(result.notEntered).map(([reason, n]) => (
                <li key={reason}>
                  {t('editor.dryRun.notEntered', { n: n.toLocaleString(lang) })}{' '}
                  {(NOT_ENTERED[reason] ?? reasonText(reason))[lang]}
                </li>
              ))}
            </ul>
          ) : null}
          <table className="sim-dry__table">
            <thead>
              <tr>
                <th scope="col">{t('editor.dryRun.step')}</th>
                <th scope="col">{t('editor.dryRun.reached')}</th>
                <th scope="col">{t('editor.dryRun.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((n) => {
                const s = result.nodes[n.id]!;
                const ports = Object.entries(s.ports)
                  .filter(([p]) => p !== 'next')
                  .map(([p, c]) => `${portLabel(p)[lang]} ${c.toLocaleString(lang)}`);
                const m = s.messages;
                const skipped = Object.entries(m.skipped);
                return (
                  <tr key={n.id} data-node-id={n.id}>
                    <th scope="row">{stepName(n.id)}</th>
                    <td>
                      <span className="sim-dry__bar" aria-hidden="true">
                        <span style={{ width: `${Math.round((100 * s.reached) / most)}%` }} />
                      </span>{' '}
                      {s.reached.toLocaleString(lang)}
                    </td>
                    <td>
                      {ports.length ? <div>{ports.join(' · ')}</div> : null}
                      {m.sent || m.deferred ? (
                        <div>
                          {t('editor.dryRun.sent', { n: m.sent.toLocaleString(lang) })}
                          {m.deferred
                            ? ` · ${t('editor.dryRun.mass', { n: m.deferred.toLocaleString(lang) })}`
                            : ''}
                        </div>
                      ) : null}
                      {skipped.map(([reason, c]) => (
                        <div key={reason} className="sim-dry__skipped">
                          {t('editor.dryRun.skipped', { n: c.toLocaleString(lang) })}{' '}
                          {reasonText(reason)[lang]}
                        </div>
                      ))}
                      {s.waiting ? (
                        <div>
                          {t('editor.dryRun.waiting', { n: s.waiting.toLocaleString(lang) })}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">{t('editor.dryRun.note')}</p>
        </div>
      ) : null}
    </section>
  );
}
