import pino from 'pino';
import { logHooks, logSerializers } from '../../config/logger';
import { env } from '~/env.server';

/** JSON lines on stdout: the orchestrator and production log shippers read them as they are. */
export const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: 'web', pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Errors without the values of failed queries (config/logger.ts).
  serializers: logSerializers,
  hooks: logHooks,
});
