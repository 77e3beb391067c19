/**
 * "Send to test followers": the current test follower's simulated messages go to the brand's
 * real test followers (POST <flow>/test-send with `{messages: [{nodeId, message}]}`), and what
 * happened to each is said in plain words — sent by which channel, or why not
 * (engine/outcomes.ts). The route belongs to the test-followers feature.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonText } from '~/lib/engine';
import type { SimMessage } from '../../../engine/simulate/index';
import { useLang } from './labels';

export interface TestSendResult {
  openid: string;
  nodeId: string;
  outcome: 'sent' | 'failed' | 'skipped';
  channel: string | null;
  errcode: number | null;
  reason: string | null;
}

type Answer =
  | { state: 'idle' }
  | { state: 'sending' }
  | { state: 'done'; results: TestSendResult[] }
  | { state: 'none' }
  | { state: 'error'; message: string };

/** Posts the messages; the answer the panel shows. */
export async function testSend(
  url: string,
  messages: readonly SimMessage[],
): Promise<
  | { ok: true; results: TestSendResult[] }
  | { ok: false; code: string; message: string | null; status: number }
> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: messages.map((m) => ({ nodeId: m.nodeId, message: m.message })),
      }),
    });
  } catch {
    return { ok: false, code: 'E_NETWORK', message: null, status: 0 };
  }
  const body = (await response.json().catch(() => null)) as {
    results?: TestSendResult[];
    error?: { code?: string; message?: string };
  } | null;
  if (response.ok && Array.isArray(body?.results)) return { ok: true, results: body.results };
  return {
    ok: false,
    code: body?.error?.code ?? `HTTP_${response.status}`,
    message: body?.error?.message ?? null,
    status: response.status,
  };
}

export function SimTestSend({
  url,
  messages,
  stepName,
  disabled,
}: {
  url: string;
  messages: readonly SimMessage[];
  stepName: (nodeId: string) => string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' });
  const send = async () => {
    setAnswer({ state: 'sending' });
    const result = await testSend(url, messages);
    if (result.ok)
      setAnswer(
        result.results.length ? { state: 'done', results: result.results } : { state: 'none' },
      );
    else if (result.code === 'E_NO_TEST_FOLLOWERS') setAnswer({ state: 'none' });
    else
      setAnswer({
        state: 'error',
        message: result.message ?? t('editor.simulate.testSend.error', { code: result.code }),
      });
  };
  const byFollower = new Map<string, TestSendResult[]>();
  if (answer.state === 'done')
    for (const r of answer.results)
      byFollower.set(r.openid, [...(byFollower.get(r.openid) ?? []), r]);

  return (
    <section className="sim-send" data-testid="sim-test-send">
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={disabled || messages.length === 0 || answer.state === 'sending'}
        onClick={() => void send()}
      >
        {answer.state === 'sending'
          ? t('editor.simulate.testSend.sending')
          : t('editor.simulate.testSend.button', { n: messages.length })}
      </button>
      {answer.state === 'none' ? (
        <p className="muted" data-testid="sim-test-send-none">
          {t('editor.simulate.testSend.none')}
        </p>
      ) : null}
      {answer.state === 'error' ? (
        <p className="field__issue" role="alert">
          {answer.message}
        </p>
      ) : null}
      {answer.state === 'done' ? (
        <ul className="sim-send__results" data-testid="sim-test-send-results">
          {[...byFollower.entries()].map(([openid, results]) => (
            <li key={openid}>
              <strong>{openid}</strong>
              <ul>
                {results.map((r, i) => (
                  <li key={i} className={`sim-send__result sim-send__result--${r.outcome}`}>
                    {r.outcome === 'sent'
                      ? t('editor.simulate.testSend.sent', {
                          step: stepName(r.nodeId),
                          channel: r.channel
                            ? t(`editor.simulate.channels.${r.channel}`, {
                                defaultValue: r.channel,
                              })
                            : '',
                        })
                      : t(`editor.simulate.testSend.${r.outcome}`, {
                          step: stepName(r.nodeId),
                          reason: r.reason
                            ? reasonText(r.reason)[lang]
                            : r.errcode !== null
                              ? t('editor.simulate.testSend.errcode', { errcode: r.errcode })
                              : '',
                        })}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
