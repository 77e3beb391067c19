import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';

declare module '@remix-run/node' {
  // Single fetch: loaders' return types flow into useLoaderData without serialisation wrappers.
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  // Pre-bundle the app's dependencies when the dev server starts, instead of discovering them
  // on the first page load and reloading the page mid-way (slow and flaky on a fresh clone).
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      '@remix-run/react',
      '@remix-run/node',
      'i18next',
      'react-i18next',
      'zod',
      'pino',
      'postgres',
      'drizzle-orm',
      'drizzle-orm/pg-core',
      'drizzle-orm/postgres-js',
      'qrcode',
      '@xyflow/react',
      'zustand',
      'zundo',
      'react-querybuilder',
      'json-rules-engine',
      'mustache',
    ],
  },
  server: {
    warmup: { clientFiles: ['./app/entry.client.tsx', './app/root.tsx', './app/routes/*.tsx'] },
  },
  plugins: [
    // The Remix plugin takes over the dev server and build; vitest must never load it.
    !process.env.VITEST &&
      remix({
        appDirectory: 'app',
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
  ],
});
