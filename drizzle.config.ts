import { defineConfig } from 'drizzle-kit';

// Used by `npm run db:generate` only; migrations run through `fanfare db migrate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
