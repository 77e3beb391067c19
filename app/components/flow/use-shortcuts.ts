/**
 * Editor shortcuts: Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, Ctrl/Cmd+C/V/D
 * copy, paste, duplicate, Ctrl/Cmd+A select all, Delete/Backspace delete. Ignored while
 * typing in a field, so the form keeps its own undo and text editing.
 */
import { useEffect, useRef } from 'react';

interface Commands {
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  remove(): void;
  selectAll(): void;
  readOnly: boolean;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'file'].includes(type);
}

export function useShortcuts(commands: Commands): void {
  const ref = useRef(commands);
  ref.current = commands;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typing(event.target)) return;
      // A modal dialog owns the keyboard.
      if (document.querySelector('dialog[open]')) return;
      const c = ref.current;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && !event.shiftKey && !c.readOnly) c.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y') && !c.readOnly) c.redo();
      else if (mod && key === 'c') c.copy();
      else if (mod && key === 'v' && !c.readOnly) c.paste();
      else if (mod && key === 'd' && !c.readOnly) c.duplicate();
      else if (mod && key === 'a') c.selectAll();
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace') && !c.readOnly)
        c.remove();
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
