#!/usr/bin/env node
/**
 * `npm start`: the production web server — what `remix-serve` does (compression, the built
 * assets and public/ as static files, request logs, the Remix handler), with the front door
 * (./front-door.js) before Remix and the security headers on every response.
 * Usage: node server/serve.js [build/server/index.js]
 */
/* global console, process */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import { installGlobals } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import morgan from 'morgan';
import { frontDoorMiddleware, securityHeadersMiddleware } from './front-door.js';

process.env.NODE_ENV = process.env.NODE_ENV ?? 'production';

const buildPath = path.resolve(process.argv[2] ?? 'build/server/index.js');
const build = await import(pathToFileURL(buildPath).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable('x-powered-by');
// First: every response, static files included, gets the security headers it lacks.
app.use(securityHeadersMiddleware(async () => build));
app.use(compression());
app.use(
  build.publicPath,
  express.static(build.assetsBuildDirectory, { immutable: true, maxAge: '1y' }),
);
app.use(express.static('public', { maxAge: '1h' }));
app.use(morgan('tiny'));
app.use(frontDoorMiddleware(async () => build));
app.all('*', createRequestHandler({ build, mode: process.env.NODE_ENV }));

// As remix-serve: PORT (3000), HOST when set, else every interface.
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST;
const listening = () => console.log(`[fanfare-web] http://${host ?? 'localhost'}:${port}`);
const server = host ? app.listen(port, host, listening) : app.listen(port, listening);
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => server.close((error) => error && console.error(error)));
