/**
 * Debounced autosave of the draft: every document change schedules a save; saves never
 * overlap, and the newest document always wins. `flush` saves now (before publishing).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlowDraft, Issue } from '~/lib/engine';
import type { EditorStore } from './store';

export type SaveState =
  | { state: 'saved'; at: string | null }
  | { state: 'dirty' }
  | { state: 'saving' }
  | { state: 'error'; message: string; issues: Issue[] };

const DEBOUNCE_MS = 800;

export function useAutosave(store: EditorStore, draftUrl: string, enabled: boolean) {
  const [status, setStatus] = useState<SaveState>({ state: 'saved', at: null });
  const saved = useRef<FlowDraft>(store.getState().doc);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = useCallback(async (): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    // One save at a time; a change made meanwhile is saved right after.
    while (inFlight.current) await inFlight.current;
    const doc = store.getState().doc;
    if (doc === saved.current) return;
    setStatus({ state: 'saving' });
    const run = (async () => {
      try {
        const response = await fetch(draftUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(doc),
        });
        // A refusal (401 signed out, 403 viewer, 404 gone) is JSON with a sentence too.
        const body = (await response.json()) as {
          ok: boolean;
          savedAt?: string;
          message?: string;
          issues?: Issue[];
        };
        if (body.ok) {
          saved.current = doc;
          setStatus(
            store.getState().doc === doc
              ? { state: 'saved', at: body.savedAt ?? null }
              : { state: 'dirty' },
          );
        } else {
          setStatus({
            state: 'error',
            message: body.message ?? String(response.status),
            issues: body.issues ?? [],
          });
        }
      } catch (error) {
        setStatus({ state: 'error', message: (error as Error).message, issues: [] });
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
  }, [draftUrl, store]);

  useEffect(() => {
    if (!enabled) return;
    return store.subscribe((state, previous) => {
      if (state.doc === previous.doc) return;
      setStatus({ state: 'dirty' });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
    });
  }, [store, save, enabled]);

  // Leaving with unsaved changes asks first.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (store.getState().doc !== saved.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [store]);

  /** The document the server now holds (after a publish or restore saved it). */
  const markSaved = useCallback(
    (doc: FlowDraft) => {
      saved.current = doc;
      if (store.getState().doc === doc) setStatus({ state: 'saved', at: new Date().toISOString() });
    },
    [store],
  );

  return { status, flush: save, markSaved };
}
