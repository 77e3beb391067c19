/**
 * Every editor string exists in both languages, and nothing user-visible in the editor's
 * components is hard-coded: JSX text and the attributes people read (aria-label, title,
 * placeholder, alt, label) must come from the translations.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/locales/en.json';
import zhCN from '../../i18n/locales/zh-CN.json';
import { NODE_KINDS, OPERATORS } from '../../lib/engine';
import { RULE_FIELDS } from '../../lib/rules-qb';
import { PALETTE_GROUPS } from './kinds';
import { VARIABLES } from './message-vars';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const flowDir = fileURLToPath(new URL('.', import.meta.url));

function lookup(tree: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      tree,
    );
}
/** A key exists as a string, or (used with `count`) as i18next's plural forms `_one`/`_other`. */
const has = (tree: unknown, k: string) =>
  typeof lookup(tree, k) === 'string' ||
  (typeof lookup(tree, `${k}_one`) === 'string' && typeof lookup(tree, `${k}_other`) === 'string');
const missingIn = (keys: string[]) => ({
  en: keys.filter((k) => !has(en, k)),
  'zh-CN': keys.filter((k) => !has(zhCN, k)),
});

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return ext.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Editor source files: the flow components, the flows list and the editor's routes. */
const editorFiles = [
  ...files(flowDir, /\.tsx?$/),
  join(appDir, 'components/flows-table.tsx'),
  join(appDir, 'routes/_index.tsx'),
  ...readdirSync(join(appDir, 'routes'))
    .filter((n) => n.startsWith('flows.'))
    .map((n) => join(appDir, 'routes', n)),
  join(appDir, 'lib/flow-editor-actions.server.ts'),
];

describe('editor translations', () => {
  it('every t("…") key used by the editor exists in en and zh-CN', () => {
    const keys = new Set<string>();
    for (const file of editorFiles) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g)) keys.add(m[1]!);
    }
    expect(keys.size).toBeGreaterThan(200);
    expect(missingIn([...keys])).toEqual({ en: [], 'zh-CN': [] });
  });

  it('keys built from the catalogs (kinds, ports, events, operators, fields…) exist in en and zh-CN', () => {
    const keys = [
      // Kind names, port labels, field labels and their choices come from the engine's
      // catalog (engine/labels.ts), the words validation messages use too.
      ...NODE_KINDS.map((k) => `editor.kinds.${k}.help`),
      ...PALETTE_GROUPS.map((g) => `editor.palette.groups.${g}`),
      ...OPERATORS.map((o) => `editor.rules.operators.${o}`),
      ...RULE_FIELDS.map((f) => `editor.rules.fields.${f.labelKey}`),
      ...VARIABLES.map((v) => `editor.composer.vars.${v.key}`),
      ...['step', 'issues', 'settings', 'history'].map((t) => `editor.tabs.${t}`),
      ...['notFound', 'invalidDocument', 'archived', 'notJson'].map(
        (e) => `editor.save.errors.${e}`,
      ),
      ...['notFound', 'invalidDocument', 'hasErrors', 'unchanged', 'archived'].map(
        (e) => `editor.publish.errors.${e}`,
      ),
      ...['created', 'duplicated', 'paused', 'resumed', 'archived'].map((r) => `home.results.${r}`),
      ...[
        'nameRequired',
        'nameTooLong',
        'notFound',
        'badTransition',
        'unknownBrand',
        'badRequest',
      ].map((e) => `home.errors.${e}`),
    ];
    expect(missingIn(keys)).toEqual({ en: [], 'zh-CN': [] });
  });

  it('no user-visible text in the editor components is hard-coded', () => {
    const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label']);
    // Letters of any script (a symbol such as × or → is not a sentence).
    const words = /\p{L}/u;
    // Sample data shown as a format hint, not a sentence: allowed literally.
    const allowed = new Set(['MM-DD', 'https://']);
    const found: string[] = [];
    for (const file of files(flowDir, /\.tsx$/)) {
      const source = ts.createSourceFile(
        file,
        readFileSync(file, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const where = (node: ts.Node) =>
        `${relative(appDir, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node) => {
        if (
          ts.isJsxText(node) &&
          words.test(node.getText()) &&
          !allowed.has(node.getText().trim())
        ) {
          found.push(`${where(node)} text "${node.getText().trim()}"`);
        }
        if (
          ts.isJsxAttribute(node) &&
          VISIBLE_ATTRIBUTES.has(node.name.getText()) &&
          node.initializer
        ) {
          const init = node.initializer;
          const literal = ts.isStringLiteral(init)
            ? init.text
            : ts.isJsxExpression(init) &&
                init.expression &&
                (ts.isStringLiteral(init.expression) ||
                  ts.isNoSubstitutionTemplateLiteral(init.expression))
              ? init.expression.text
              : null;
          if (literal !== null && words.test(literal) && !allowed.has(literal))
            found.push(`${where(node)} ${node.name.getText()}="${literal}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });
});
