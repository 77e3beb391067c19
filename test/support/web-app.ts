/**
 * The real Remix app in-process: Vite (in middleware mode, with the same vite.config.ts as
 * `npm run dev`) loads the server build, and its front door then `createRequestHandler`
 * answer fetch-style requests — as server/serve.js does: routing, actions, thrown responses
 * and error boundaries as in production, without building the app or starting the stack. The web app's environment must be set (at
 * least DATABASE_URL) before `startWebApp` is called: `app/env.server.ts` reads it once.
 */
import { fileURLToPath } from 'node:url';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { createServer, type ViteDevServer } from 'vite';

export interface WebApp {
  build: ServerBuild;
  handle(request: Request): Promise<Response>;
  close(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startWebApp(): Promise<WebApp> {
  // vite.config.ts leaves the Remix plugin out under vitest; this server needs it.
  const vitest = process.env.VITEST;
  delete process.env.VITEST;
  let vite: ViteDevServer;
  try {
    vite = await createServer({
      root,
      configFile: `${root}/vite.config.ts`,
      logLevel: 'warn',
      server: { middlewareMode: true, hmr: false, watch: null },
      appType: 'custom',
      optimizeDeps: { noDiscovery: true, include: [] },
    });
  } finally {
    if (vitest !== undefined) process.env.VITEST = vitest;
  }
  const build = (await vite.ssrLoadModule('virtual:remix/server-build')) as ServerBuild;
  const handler = createRequestHandler(build, 'development');
  // As server/serve.js and the dev server do: the front door first, then Remix; the security
  // headers filled into every answer that lacks them (server/front-door.js).
  const { frontDoor, securityHeaders } = build.entry.module as unknown as {
    frontDoor: (request: Request) => Response | null;
    securityHeaders: (pathname: string) => Headers;
  };
  return {
    build,
    handle: async (request) => {
      // A browser (and Node's http adapter) always sends Host; Remix's own Origin check needs it.
      if (!request.headers.has('host')) {
        const headers = new Headers(request.headers);
        headers.set('host', new URL(request.url).host);
        request = new Request(request, { headers, duplex: 'half' } as RequestInit);
      }
      const response = frontDoor(request) ?? (await handler(request));
      const headers = new Headers(response.headers);
      for (const [name, value] of securityHeaders(new URL(request.url).pathname))
        if (!headers.has(name)) headers.set(name, value);
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    },
    close: () => vite.close(),
  };
}
