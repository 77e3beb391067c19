/**
 * The menu editor's model and its rules (pure: the editor and the server share it).
 * A menu is ≤ 3 top buttons; a top button is either a leaf (click with a `key`, view with a
 * `url`) or a group of 1–5 sub-buttons that are leaves themselves.
 *
 * Limits (docs/wechat.md#menus plus WeChat's menu/create documentation), on the safe side:
 * names ≤ 16 bytes at the top and ≤ 40 bytes below (WeChat documents 16 and 40–60, and shows
 * about 4 / 8 汉字 anyway), keys ≤ 128 bytes of letters, digits and _ - . : (flows match them
 * exactly), URLs http(s) ≤ 1024 bytes.
 */
import { problem, utf8Bytes, type Problem } from '../resources/problems';

export const MENU_LIMITS = {
  topButtons: 3,
  subButtons: 5,
  topNameBytes: 16,
  subNameBytes: 40,
  keyBytes: 128,
  urlBytes: 1024,
  /** `menu:<name>` must fit WeChat's 30-byte tag names without being cut. */
  menuNameBytes: 25,
} as const;

export type LeafType = 'click' | 'view';
export interface DraftLeaf {
  name: string;
  type: LeafType;
  key: string;
  url: string;
}
export interface DraftButton extends Omit<DraftLeaf, 'type'> {
  type: LeafType | 'group';
  subs: DraftLeaf[];
}

/** WeChat's wire shape for the two kinds of leaf we edit, and groups of them. */
export type WireLeaf =
  { type: 'click'; name: string; key: string } | { type: 'view'; name: string; url: string };
export type WireButton = WireLeaf | { name: string; sub_button: WireLeaf[] };

export const emptyLeaf = (): DraftLeaf => ({ name: '', type: 'click', key: '', url: '' });
export const emptyButton = (): DraftButton => ({ ...emptyLeaf(), subs: [] });

const KEY = /^[A-Za-z0-9_.:-]+$/;

function leafFromWire(raw: unknown): DraftLeaf {
  const b = (raw ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    name: str(b.name),
    type: b.type === 'view' ? 'view' : 'click',
    key: str(b.key),
    url: str(b.url),
  };
}

/** The stored `buttons` array, as the editor shows it. */
export function draftFromWire(buttons: unknown[]): DraftButton[] {
  return buttons.map((raw) => {
    const b = (raw ?? {}) as Record<string, unknown>;
    if (Array.isArray(b.sub_button) && b.sub_button.length > 0) {
      return {
        ...emptyButton(),
        name: typeof b.name === 'string' ? b.name : '',
        type: 'group',
        subs: b.sub_button.map(leafFromWire),
      };
    }
    return { ...leafFromWire(b), subs: [] };
  });
}

const isBlank = (leaf: Pick<DraftLeaf, 'name' | 'key' | 'url'>) =>
  !leaf.name.trim() && !leaf.key.trim() && !leaf.url.trim();

/**
 * Reads the editor's fields (`b0.name`, `b0.type`, `b0.key`, `b0.url`, `b0.s1.name`, …).
 * Entirely blank slots are dropped, so the form may carry empty rows.
 */
export function draftFromForm(form: { get(name: string): unknown }): DraftButton[] {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : '';
  };
  const leaf = (prefix: string): DraftLeaf => ({
    name: text(`${prefix}.name`),
    type: text(`${prefix}.type`) === 'view' ? 'view' : 'click',
    key: text(`${prefix}.key`),
    url: text(`${prefix}.url`),
  });
  const buttons: DraftButton[] = [];
  // One slot beyond each limit is read, so "too many" is reported rather than silently cut.
  for (let i = 0; i <= MENU_LIMITS.topButtons; i++) {
    const type = text(`b${i}.type`);
    const subs: DraftLeaf[] = [];
    for (let j = 0; j <= MENU_LIMITS.subButtons; j++) {
      const sub = leaf(`b${i}.s${j}`);
      if (!isBlank(sub)) subs.push(sub);
    }
    const top = leaf(`b${i}`);
    const button: DraftButton = {
      ...top,
      type: type === 'group' ? 'group' : top.type,
      subs: type === 'group' ? subs : [],
    };
    if (isBlank(button) && button.subs.length === 0) continue;
    buttons.push(button);
  }
  return buttons;
}

function checkLeaf(
  leaf: DraftLeaf,
  path: string,
  maxNameBytes: number,
  keys: Map<string, string>,
): Problem[] {
  const out: Problem[] = [];
  const name = leaf.name.trim();
  if (!name) out.push(problem('menu_button_name_required', undefined, `${path}.name`));
  else if (utf8Bytes(name) > maxNameBytes) {
    out.push(
      problem(
        'menu_button_name_too_long',
        { max: maxNameBytes, bytes: utf8Bytes(name) },
        `${path}.name`,
      ),
    );
  }
  if (leaf.type === 'click') {
    const key = leaf.key.trim();
    if (!key) out.push(problem('menu_key_required', undefined, `${path}.key`));
    else if (utf8Bytes(key) > MENU_LIMITS.keyBytes)
      out.push(problem('menu_key_too_long', { max: MENU_LIMITS.keyBytes }, `${path}.key`));
    else if (!KEY.test(key)) out.push(problem('menu_key_invalid', { key }, `${path}.key`));
    else if (keys.has(key)) out.push(problem('menu_key_duplicate', { key }, `${path}.key`));
    else keys.set(key, path);
  } else {
    const url = leaf.url.trim();
    let valid = false;
    try {
      const parsed = new URL(url);
      valid =
        (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
        utf8Bytes(url) <= MENU_LIMITS.urlBytes;
    } catch {
      valid = false;
    }
    if (!valid) out.push(problem('menu_url_invalid', { max: MENU_LIMITS.urlBytes }, `${path}.url`));
  }
  return out;
}

function leafToWire(leaf: DraftLeaf): WireLeaf {
  const name = leaf.name.trim();
  return leaf.type === 'click'
    ? { type: 'click', name, key: leaf.key.trim() }
    : { type: 'view', name, url: leaf.url.trim() };
}

/** The WeChat `button` array, or every problem found (each on its field: `b1.s0.key`). */
export function validateDraft(
  buttons: DraftButton[],
): { ok: true; wire: WireButton[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (buttons.length === 0)
    problems.push(problem('menu_no_buttons', { max: MENU_LIMITS.topButtons }));
  if (buttons.length > MENU_LIMITS.topButtons)
    problems.push(problem('menu_too_many_buttons', { max: MENU_LIMITS.topButtons }));
  const keys = new Map<string, string>();
  buttons.slice(0, MENU_LIMITS.topButtons).forEach((button, i) => {
    const path = `b${i}`;
    if (button.type !== 'group') {
      problems.push(
        ...checkLeaf({ ...button, type: button.type }, path, MENU_LIMITS.topNameBytes, keys),
      );
      return;
    }
    const name = button.name.trim();
    if (!name) problems.push(problem('menu_button_name_required', undefined, `${path}.name`));
    else if (utf8Bytes(name) > MENU_LIMITS.topNameBytes) {
      problems.push(
        problem(
          'menu_button_name_too_long',
          { max: MENU_LIMITS.topNameBytes, bytes: utf8Bytes(name) },
          `${path}.name`,
        ),
      );
    }
    if (button.subs.length === 0)
      problems.push(problem('menu_group_empty', undefined, `${path}.name`));
    if (button.subs.length > MENU_LIMITS.subButtons) {
      problems.push(
        problem('menu_too_many_sub_buttons', { max: MENU_LIMITS.subButtons }, `${path}.name`),
      );
    }
    button.subs.slice(0, MENU_LIMITS.subButtons).forEach((sub, j) => {
      problems.push(...checkLeaf(sub, `${path}.s${j}`, MENU_LIMITS.subNameBytes, keys));
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    wire: buttons.map((b) =>
      b.type === 'group'
        ? { name: b.name.trim(), sub_button: b.subs.map(leafToWire) }
        : leafToWire({ ...b, type: b.type }),
    ),
  };
}

/** Problems with a menu's name (it also names the menu's reserved tag: `menu:<name>`). */
export function checkMenuName(name: string): Problem[] {
  if (!name) return [problem('name_required', undefined, 'name')];
  if (utf8Bytes(name) > MENU_LIMITS.menuNameBytes) {
    return [
      problem('name_too_long', { max: MENU_LIMITS.menuNameBytes, bytes: utf8Bytes(name) }, 'name'),
    ];
  }
  return [];
}
