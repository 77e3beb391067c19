import { fileURLToPath } from 'node:url';
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig, type Plugin } from 'vite';
import {
  frontDoorMiddleware,
  securityHeadersMiddleware,
  type FrontDoorBuild,
} from './server/front-door.js';

declare module '@remix-run/node' {
  // Single fetch: loaders' return types flow into useLoaderData without serialisation wrappers.
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * The dev server's front door and security headers, as `npm start`'s (server/serve.js): before
 * Vite's own middlewares and Remix's handler.
 */
const frontDoor: Plugin = {
  name: 'fanfare-front-door',
  configureServer(server) {
    const build = () =>
      server.ssrLoadModule('virtual:remix/server-build') as Promise<FrontDoorBuild>;
    server.middlewares.use(securityHeadersMiddleware(build));
    server.middlewares.use(frontDoorMiddleware(build));
  },
};

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
    // Server-only native addon (password hashing, reached through *.server.ts): the optimizer
    // would try to bundle its browser build, which needs a WASM package we do not install.
    exclude: ['@node-rs/argon2'],
  },
  server: {
    warmup: { clientFiles: ['./app/entry.client.tsx', './app/root.tsx', './app/routes/*.tsx'] },
  },
  plugins: [
    // The Remix plugin takes over the dev server and build; vitest must never load it.
    !process.env.VITEST && frontDoor,
    !process.env.VITEST &&
      remix({
        appDirectory: 'app',
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          // Off: the whole route manifest comes with the page. Lazy discovery watches every
          // element added to the page for links, and a large flow's canvas adds thousands —
          // a 2,000-node flow opened in ~4 s instead of ~6 s (bench/README.md, editor).
          v3_lazyRouteDiscovery: false,
        },
      }),
  ],
});
