#!/usr/bin/env node
// The `fanfare` command: runs the TypeScript CLI through tsx's loader, so the same
// sources serve `npm run fanfare -- …`, `npx fanfare …` and an installed bin.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
