/**
 * The Simulate tab (docs/product.md#simulating-a-flow): test followers side by side, each with
 * a scenario (sim-script.tsx) run through the engine's simulator on the current draft —
 * saved or not, in the browser, touching nothing. Run shows the whole path at once; Step
 * reveals one trace item at a time; Play moves a virtual clock at 1×, 60× or 3600×; "next"
 * jumps to the next moment something happens. The path lights up on the canvas (a store of
 * its own, sim-highlight.ts), the trace lists each step with why, the phone shows what the
 * fan received, and the end says how the journey ended.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  compile,
  FlowInvalidError,
  type BrandContext,
  type FlowDraft,
  type ValidateOptions,
} from '~/lib/engine';
import { flowEndpoint } from '~/lib/paths';
import type { BrandResources } from '../../../services/flows/editor.types';
import { chineseFor } from '../../../engine/schema/i18n';
import {
  parseScenario,
  ScenarioError,
  simulate,
  type ScenarioInput,
  type SimResult,
} from '../../../engine/simulate/index';
import { useKindTitle, useLang, usePortLabel } from './labels';
import { PhonePreview } from './phone-preview';
import type { HighlightStore } from './sim-highlight';
import {
  defaultScenario,
  errorsByPath,
  highlightOf,
  messageSteps,
  nextEventAt,
  NO_HIGHLIGHT,
  shownAt,
  triggerEvents,
} from './sim-model';
import { SimScript } from './sim-script';
import { SimDryRun } from './sim-dry-run';
import { SimTestSend } from './sim-test-send';

/** One test follower of the panel: a stable key and their scenario. */
export interface SimFollower {
  key: string;
  scenario: ScenarioInput;
}

export const MAX_FOLLOWERS = 10;
const LETTERS = 'ABCDEFGHIJ';
const SPEEDS = [1, 60, 3600] as const;
type Speed = (typeof SPEEDS)[number];

interface Run {
  result: SimResult;
  /** Trace items revealed. */
  shown: number;
  /** The virtual clock, ms. */
  clock: number;
  start: number;
  /** What it ran on: a change to either makes the run stale. */
  doc: FlowDraft;
  scenario: ScenarioInput;
}

let keySeq = 0;
export const newFollowerKey = () => `f${Date.now().toString(36)}${(keySeq++).toString(36)}`;

/** Followers for the panel: the saved scenarios, else one from the flow's trigger. */
export function initialFollowers(
  saved: readonly ScenarioInput[],
  doc: FlowDraft,
  timeZone: string,
): SimFollower[] {
  const list = saved.length ? saved : [defaultScenario(doc, Date.now(), timeZone)];
  return list.map((scenario) => ({ key: newFollowerKey(), scenario }));
}

interface Props {
  doc: FlowDraft;
  /** Errors of the draft (validation): a flow with errors does not run. */
  errors: number;
  context: BrandContext;
  validateOptions?: ValidateOptions;
  resources: BrandResources;
  brand: { slug: string; name: string; timezone: string };
  flowId: string;
  followers: SimFollower[];
  setFollowers: Dispatch<SetStateAction<SimFollower[]>>;
  highlight: HighlightStore;
  onShowIssues: () => void;
  onFocusNode: (nodeId: string) => void;
  /** A viewer or an archived flow: simulate, but neither save nor send. */
  readOnly: boolean;
}

type Issue = { path: string; message: string };

export function SimulatePanel({
  doc,
  errors,
  context,
  validateOptions,
  resources,
  brand,
  flowId,
  followers,
  setFollowers,
  highlight,
  onShowIssues,
  onFocusNode,
  readOnly,
}: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const kindTitle = useKindTitle();
  const portLabel = usePortLabel();
  const timeZone = doc.settings?.timezone ?? brand.timezone;
  const [activeKey, setActiveKey] = useState(() => followers[0]?.key ?? '');
  const active = followers.find((f) => f.key === activeKey) ?? followers[0];
  const [runs, setRuns] = useState<Record<string, Run>>({});
  const [playing, setPlaying] = useState<Speed | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<
    { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string }
  >({ state: 'idle' });
  const run = active ? runs[active.key] : undefined;

  // A follower with no script yet (the flow had no trigger when the editor opened, or it was
  // imported since) gets the one the flow's trigger suggests.
  useEffect(() => {
    const events = triggerEvents(doc);
    if (!events.length) return;
    setFollowers((list) =>
      list.some((f) => !f.scenario.events?.length)
        ? list.map((f) =>
            f.scenario.events?.length
              ? f
              : {
                  ...f,
                  scenario: {
                    ...defaultScenario(doc, Date.now(), timeZone),
                    start: f.scenario.start,
                    until: f.scenario.until,
                  },
                },
          )
        : list,
    );
    // Only when the tab opens: an emptied script is the marketer's choice afterwards.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const stale = !!run && (run.doc !== doc || run.scenario !== active?.scenario);

  // --- words and times ---------------------------------------------------------------------
  const localize = useCallback(
    (message: string) => (lang === 'zh-CN' ? (chineseFor(message) ?? message) : message),
    [lang],
  );
  const issuesOf = useCallback(
    (scenario: ScenarioInput): Issue[] => {
      try {
        parseScenario(scenario);
        return [];
      } catch (error) {
        if (error instanceof ScenarioError)
          return error.issues.map((i) => ({ path: i.path, message: localize(i.message) }));
        throw error;
      }
    },
    [localize],
  );
  const scriptErrors = useMemo(
    () => errorsByPath(active ? issuesOf(active.scenario) : []),
    [active, issuesOf],
  );
  const format = useMemo(() => {
    const make = (options: Intl.DateTimeFormatOptions) => {
      try {
        return new Intl.DateTimeFormat(lang, { ...options, timeZone, hourCycle: 'h23' });
      } catch {
        return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC', hourCycle: 'h23' });
      }
    };
    const clock = make({
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const time = make({ month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    return {
      clock: (ms: number) => clock.format(new Date(ms)),
      time: (iso: string) => time.format(new Date(iso)),
    };
  }, [lang, timeZone]);
  const stepName = useCallback(
    (nodeId: string) => {
      const node = doc.nodes.find((n) => n.id === nodeId);
      return node ? node.label?.trim() || kindTitle(node.kind) : nodeId;
    },
    [doc.nodes, kindTitle],
  );

  // --- running -------------------------------------------------------------------------------
  /** Simulates one follower on the current draft; null (and a sentence) when it cannot. */
  const simulateOne = useCallback(
    async (follower: SimFollower): Promise<Run | null> => {
      if (issuesOf(follower.scenario).length) {
        setActiveKey(follower.key);
        setProblem(t('editor.simulate.scriptInvalid'));
        return null;
      }
      try {
        const plan = compile(doc, {
          brand: context,
          webhookAllowList: validateOptions?.webhookAllowList,
        });
        const result = await simulate(plan, follower.scenario, {
          timezone: timeZone,
          pools: Object.fromEntries(resources.couponPools.map((p) => [p.name, p.expiry ?? null])),
        });
        const start = Date.parse(parseScenario(follower.scenario).start);
        return { result, shown: 0, clock: start, start, doc, scenario: follower.scenario };
      } catch (error) {
        setProblem(
          error instanceof FlowInvalidError
            ? t('editor.simulate.hasErrors', { n: errors || 1 })
            : t('editor.simulate.failed', {
                message: error instanceof Error ? error.message : String(error),
              }),
        );
        return null;
      }
    },
    [doc, context, validateOptions, timeZone, resources.couponPools, issuesOf, errors, t],
  );

  /** The active follower's run, made now if there is none or it is stale. */
  const ensureRun = useCallback(async (): Promise<Run | null> => {
    if (!active) return null;
    if (run && !stale) return run;
    const made = await simulateOne(active);
    if (made) setRuns((r) => ({ ...r, [active.key]: made }));
    return made;
  }, [active, run, stale, simulateOne]);

  const update = useCallback(
    (change: (r: Run) => Run) => {
      if (!active) return;
      const key = active.key;
      setRuns((all) => {
        const r = all[key];
        return r ? { ...all, [key]: change(r) } : all;
      });
    },
    [active],
  );

  const runAll = async () => {
    setPlaying(null);
    setProblem(null);
    const next: Record<string, Run> = {};
    for (const f of followers) {
      const made = await simulateOne(f);
      if (!made) return;
      const end = Date.parse(made.result.end.at);
      next[f.key] = { ...made, shown: made.result.trace.length, clock: Math.max(end, made.start) };
    }
    setRuns(next);
  };

  const step = async () => {
    setPlaying(null);
    setProblem(null);
    const r = await ensureRun();
    if (!r) return;
    update((x) => {
      const trace = x.result.trace;
      if (x.shown < trace.length) {
        const at = Date.parse(trace[x.shown]!.at);
        return { ...x, shown: x.shown + 1, clock: Math.max(x.clock, at) };
      }
      return { ...x, clock: Math.max(x.clock, Date.parse(x.result.end.at)) };
    });
  };

  const next = async () => {
    setPlaying(null);
    setProblem(null);
    const r = await ensureRun();
    if (!r) return;
    update((x) => {
      // What already happened at this moment first, then the next moment something happens.
      const now = shownAt(x.result, x.clock);
      if (x.shown < now) return { ...x, shown: now };
      const at = nextEventAt(x.result, x.clock);
      if (at === null) return x;
      return { ...x, clock: at, shown: Math.max(x.shown, shownAt(x.result, at)) };
    });
  };

  const play = async (speed: Speed) => {
    setProblem(null);
    const r = await ensureRun();
    if (!r) return;
    // Played to the end already: from the start again.
    if (r.shown >= r.result.trace.length && r.clock >= Date.parse(r.result.end.at))
      update((x) => ({ ...x, shown: 0, clock: x.start }));
    setPlaying(speed);
  };

  const reset = () => {
    setPlaying(null);
    update((x) => ({ ...x, shown: 0, clock: x.start }));
  };

  // The virtual clock moves with the real one while playing (one state update a frame).
  const playingKey = playing && active ? active.key : null;
  useEffect(() => {
    if (!playing || !playingKey) return;
    let last = performance.now();
    let frame = 0;
    const tick = (now: number) => {
      const elapsed = now - last;
      last = now;
      setRuns((all) => {
        const r = all[playingKey];
        if (!r) return all;
        const end = Math.max(Date.parse(r.result.end.at), r.start);
        const clock = Math.min(end, r.clock + elapsed * playing);
        const shown =
          clock >= end ? r.result.trace.length : Math.max(r.shown, shownAt(r.result, clock));
        return { ...all, [playingKey]: { ...r, clock, shown } };
      });
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, playingKey]);

  // The path on the canvas: this follower's, as far as it is revealed; none once the tab closes.
  const shown = run?.shown ?? 0;
  const result = run?.result ?? null;
  useEffect(() => {
    highlight.setState(result ? highlightOf(result, shown, doc.edges) : NO_HIGHLIGHT, true);
  }, [highlight, result, shown, doc.edges]);
  useEffect(() => () => highlight.setState(NO_HIGHLIGHT, true), [highlight]);

  const stepsOfMessages = useMemo(() => (result ? messageSteps(result) : []), [result]);
  const messages = useMemo(
    () => (result ? result.messages.filter((_, i) => stepsOfMessages[i]! < shown) : []),
    [result, stepsOfMessages, shown],
  );
  const done =
    !!run && run.shown >= run.result.trace.length && run.clock >= Date.parse(run.result.end.at);
  // Played to the end: the clock stops.
  useEffect(() => {
    if (playing && done) setPlaying(null);
  }, [playing, done]);

  // --- followers -----------------------------------------------------------------------------
  const setScenario = (key: string, scenario: ScenarioInput) => {
    setSaveState({ state: 'idle' });
    setFollowers((list) => list.map((f) => (f.key === key ? { ...f, scenario } : f)));
  };
  const addFollower = () => {
    const follower = {
      key: newFollowerKey(),
      scenario: defaultScenario(doc, Date.now(), timeZone),
    };
    if (active?.scenario.start) follower.scenario.start = active.scenario.start;
    setFollowers((list) => [...list, follower]);
    setActiveKey(follower.key);
    setPlaying(null);
  };
  const removeFollower = (key: string) => {
    setPlaying(null);
    setFollowers((list) => {
      const rest = list.filter((f) => f.key !== key);
      if (key === active?.key) setActiveKey(rest[0]?.key ?? '');
      return rest;
    });
    setRuns(({ [key]: _gone, ...rest }) => rest);
  };

  const save = async () => {
    const bad = followers.find((f) => issuesOf(f.scenario).length);
    if (bad) {
      setActiveKey(bad.key);
      setSaveState({ state: 'error', message: t('editor.simulate.scriptInvalid') });
      return;
    }
    setSaveState({ state: 'saving' });
    try {
      const response = await fetch(flowEndpoint(brand.slug, flowId, 'scenarios'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          scenarios: followers.map((f, i) => ({ ...f.scenario, name: LETTERS[i] })),
        }),
      });
      const body = (await response.json().catch(() => null)) as {
        ok?: boolean;
        error?: { message?: string };
      } | null;
      if (response.ok && body?.ok) setSaveState({ state: 'saved' });
      else
        setSaveState({
          state: 'error',
          message: body?.error?.message ?? t('editor.simulate.saveFailed'),
        });
    } catch {
      setSaveState({ state: 'error', message: t('editor.simulate.saveFailed') });
    }
  };

  // --- the draft has errors: nothing runs ----------------------------------------------------
  if (errors > 0) {
    return (
      <div className="panel sim" data-testid="simulate-panel">
        <h2>{t('editor.simulate.title')}</h2>
        <p className="sim__blocked" role="alert">
          {t('editor.simulate.hasErrors', { n: errors })}{' '}
          <button type="button" className="link-button" onClick={onShowIssues}>
            {t('editor.simulate.showIssues')}
          </button>
        </p>
      </div>
    );
  }
  if (!active) return null;

  return (
    <div className="panel sim" data-testid="simulate-panel">
      <div className="sim__head">
        <h2>{t('editor.simulate.title')}</h2>
        <p className="muted">{t('editor.simulate.intro')}</p>
      </div>

      <div className="sim__followers" role="tablist" aria-label={t('editor.simulate.followers')}>
        {followers.map((f, i) => (
          <span key={f.key} className="sim__follower-tab">
            <button
              type="button"
              role="tab"
              aria-selected={f.key === active.key}
              className="tab"
              onClick={() => {
                setPlaying(null);
                setActiveKey(f.key);
              }}
            >
              {t('editor.simulate.followerTab', { letter: LETTERS[i] })}
            </button>
            {followers.length > 1 ? (
              <button
                type="button"
                className="link-button sim__follower-remove"
                aria-label={t('editor.simulate.removeFollower', { letter: LETTERS[i] })}
                onClick={() => removeFollower(f.key)}
              >
                ×
              </button>
            ) : null}
          </span>
        ))}
        {followers.length < MAX_FOLLOWERS ? (
          <button type="button" className="link-button sim__follower-add" onClick={addFollower}>
            {t('editor.simulate.addFollower')}
          </button>
        ) : null}
      </div>
      <div className="panel__actions sim__save">
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={readOnly || saveState.state === 'saving'}
          onClick={() => void save()}
        >
          {t('editor.simulate.save')}
        </button>
        <span className="muted" role="status" data-testid="sim-save-state">
          {saveState.state === 'saved' ? t('editor.simulate.saved') : null}
          {saveState.state === 'saving' ? t('editor.simulate.saving') : null}
        </span>
      </div>
      {saveState.state === 'error' ? (
        <p className="field__issue" role="alert">
          {saveState.message}
        </p>
      ) : null}

      <div className="sim__controls" role="toolbar" aria-label={t('editor.simulate.controls')}>
        <button type="button" className="button button--small" onClick={() => void runAll()}>
          {t('editor.simulate.run')}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => void step()}
        >
          {t('editor.simulate.step')}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => void next()}
        >
          {t('editor.simulate.next')}
        </button>
        {SPEEDS.map((speed) => (
          <button
            key={speed}
            type="button"
            className={`button button--secondary button--small${playing === speed ? ' sim__speed--on' : ''}`}
            aria-pressed={playing === speed}
            onClick={() => (playing === speed ? setPlaying(null) : void play(speed))}
          >
            {t('editor.simulate.play', { speed })}
          </button>
        ))}
        {run ? (
          <button type="button" className="link-button" onClick={reset}>
            {t('editor.simulate.reset')}
          </button>
        ) : null}
      </div>
      {problem ? (
        <p className="field__issue" role="alert">
          {problem}
        </p>
      ) : null}

      {run ? (
        <div className="sim__clock" data-testid="sim-clock" data-ms={run.clock}>
          <span className="muted">{t('editor.simulate.clock', { zone: timeZone })}</span>
          <strong>{format.clock(run.clock)}</strong>
          {stale ? <span className="sim__stale">{t('editor.simulate.stale')}</span> : null}
        </div>
      ) : null}
      <details className="sim__setup" open={!run}>
        <summary>{t('editor.simulate.setup')}</summary>
        <SimScript
          key={active.key}
          scenario={active.scenario}
          onChange={(s) => setScenario(active.key, s)}
          errors={scriptErrors}
          timeZone={timeZone}
          readOnly={false}
        />
      </details>
      {run ? (
        <>
          <ol className="sim-trace" data-testid="sim-trace">
            {run.result.trace.slice(0, run.shown).map((item, i) => (
              <li
                key={i}
                className={`sim-trace__item${i === run.shown - 1 ? ' sim-trace__item--current' : ''}`}
                data-node-id={item.nodeId}
                data-outcome={item.outcome}
              >
                <button
                  type="button"
                  className="sim-trace__button"
                  onClick={() => onFocusNode(item.nodeId)}
                >
                  <span className="sim-trace__time">{format.time(item.at)}</span>
                  <span className="sim-trace__step">{stepName(item.nodeId)}</span>
                  <span className={`sim-outcome sim-outcome--${item.outcome}`}>
                    {t(`editor.simulate.outcomes.${item.outcome}`, { defaultValue: item.outcome })}
                    {item.port && item.port !== 'next' && item.kind !== 'action.push'
                      ? ` → ${portLabel(item.port)}`
                      : ''}
                  </span>
                  <span className="sim-trace__why">{item.why[lang]}</span>
                </button>
              </li>
            ))}
          </ol>
          {done ? (
            <p
              className={`sim-end sim-end--${run.result.end.status}`}
              data-testid="sim-end"
              data-status={run.result.end.status}
            >
              <strong>
                {t(`editor.simulate.ends.${run.result.end.status}`, {
                  defaultValue: run.result.end.status,
                })}
              </strong>{' '}
              {format.time(run.result.end.at)} · {run.result.end.why[lang]}
            </p>
          ) : null}
          <PhonePreview
            account={brand.name}
            messages={messages}
            templates={resources.templates}
            formatTime={format.time}
          />
          <SimTestSend
            url={flowEndpoint(brand.slug, flowId, 'test-send')}
            messages={run.result.messages}
            stepName={stepName}
            disabled={readOnly}
          />
        </>
      ) : (
        <p className="muted">{t('editor.simulate.notRun')}</p>
      )}
      <SimDryRun url={flowEndpoint(brand.slug, flowId, 'dry-run')} doc={doc} stepName={stepName} />
    </div>
  );
}
