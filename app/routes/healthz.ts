import { databaseIsUp } from '~/lib/health.server';

/** Liveness and readiness for the orchestrator, tests and load balancers. */
export async function loader() {
  const db = await databaseIsUp();
  return Response.json(
    { ok: db, db },
    { status: db ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
