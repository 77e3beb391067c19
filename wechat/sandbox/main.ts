/**
 * `tsx wechat/sandbox/main.ts`: the sandbox as a process (dev orchestrator, manual testing).
 * WECHAT_SANDBOX_PORT (default 3100), WECHAT_SANDBOX_HOST (default 127.0.0.1). JSON-line logs.
 */
import { startSandbox } from './index';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  process.stdout.write(
    `${JSON.stringify({ level, time: new Date().toISOString(), service: 'wechat-sandbox', msg, ...fields })}\n`,
  );
}

const rawPort = process.env.WECHAT_SANDBOX_PORT ?? '3100';
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  log('error', `WECHAT_SANDBOX_PORT must be a port number, got ${JSON.stringify(rawPort)}`);
  process.exit(1);
}

const sandbox = await startSandbox({
  port,
  host: process.env.WECHAT_SANDBOX_HOST ?? '127.0.0.1',
  onCall: (call) =>
    log(call.errcode === 0 && call.status < 400 ? 'info' : 'warn', 'api call', {
      method: call.method,
      path: call.path,
      appId: call.appId,
      status: call.status,
      errcode: call.errcode,
      durationMs: call.durationMs,
      ...(call.faultId ? { faultId: call.faultId } : {}),
    }),
});
log('info', 'listening', { url: sandbox.url });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping', { signal });
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await sandbox.stop();
  log('info', 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
