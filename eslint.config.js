import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'build', '.data', 'bench/results', 'db/migrations', 'public/build'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['app/**/*.tsx', 'app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The web app reaches the worker's code only through services/: it never imports the
    // activities (they are the worker's side of the same use cases).
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)workflows/activities(/|$)',
              message: 'app/ calls services/, never workflows/activities/*.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins.
    files: ['workflows/workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'postgres',
                'drizzle-orm',
                'drizzle-orm/*',
                '../db/*',
                '../../db/*',
              ],
              message: 'Workflows are deterministic: do I/O in activities.',
            },
          ],
        },
      ],
    },
  },
  {
    // engine/ is the pure flow model shared by the editor, the server and Temporal's workflow
    // sandbox. Allow-list: its own files plus five pure libraries — nothing else (no node:*,
    // no I/O, no React, no drizzle/postgres, no @temporalio/*), and no ambient clock or dice.
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts'],
    plugins: {
      'fanfare-engine': {
        rules: {
          'pure-imports': {
            meta: {
              type: 'problem',
              schema: [],
              messages: {
                forbidden:
                  'engine/ may import only its own files and zod, json-rules-engine, mustache, @noble/hashes, re2js (got "{{source}}").',
                dynamic: 'engine/ may not load modules dynamically.',
              },
            },
            create(context) {
              const allowed = ['zod', 'json-rules-engine', 'mustache', '@noble/hashes', 're2js'];
              const file = context.filename.replace(/\\/g, '/');
              const at = file.lastIndexOf('/engine/');
              const engineRoot = at >= 0 ? file.slice(0, at + '/engine'.length) : null;
              const insideEngine = (source) => {
                if (!engineRoot) return false;
                const parts = file.split('/').slice(0, -1);
                for (const seg of source.split('/')) {
                  if (seg === '..') parts.pop();
                  else if (seg !== '.' && seg !== '') parts.push(seg);
                }
                const resolved = parts.join('/');
                return resolved === engineRoot || resolved.startsWith(`${engineRoot}/`);
              };
              const ok = (source) =>
                source.startsWith('.')
                  ? insideEngine(source)
                  : allowed.some((lib) => source === lib || source.startsWith(`${lib}/`));
              const check = (node) => {
                if (node && typeof node.value === 'string' && !ok(node.value)) {
                  context.report({ node, messageId: 'forbidden', data: { source: node.value } });
                }
              };
              return {
                ImportDeclaration: (n) => check(n.source),
                ExportNamedDeclaration: (n) => n.source && check(n.source),
                ExportAllDeclaration: (n) => check(n.source),
                ImportExpression: (n) =>
                  n.source.type === 'Literal'
                    ? check(n.source)
                    : context.report({ node: n, messageId: 'dynamic' }),
              };
            },
          },
        },
      },
    },
    rules: {
      'fanfare-engine/pure-imports': 'error',
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', '__filename'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject "now": workflows pass workflow time.' },
        {
          object: 'Math',
          property: 'random',
          message: 'Inject a generator: the engine must be deterministic.',
        },
      ],
    },
  },
);
