/**
 * Imported first by `root.tsx`, so it runs before any zod schema is built in the browser:
 * zod's compiled parsers probe `new Function`, which the Content-Security-Policy (no
 * 'unsafe-eval', lib/http/security-headers.server) refuses and reports as a violation. The
 * browser parses with the interpreter instead; the server keeps the compiled parsers.
 */
import { z } from 'zod';

if (typeof document !== 'undefined') z.config({ jitless: true });
