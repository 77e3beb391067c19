import { Option, type Command } from 'commander';
import { createServices, OPERATOR } from '../../services';
import { ROLES } from '../../services/members/roles';
import { CliError, withDatabase } from '../context';

export function register(program: Command): void {
  const user = program.command('user').description('people who sign in to the web app');
  user
    .command('create')
    .description('create a user; with --org, also a role in that organization (created if new)')
    .requiredOption('--email <email>', 'the email they sign in with')
    .requiredOption('--password <password>', 'their password (at least 10 characters)')
    .option('--name <name>', 'their name')
    .option('--org <name>', 'organization (slug or name); created when none has that name')
    .addOption(new Option('--role <role>', 'their role in --org').choices(ROLES).default('owner'))
    .action(
      async (options: {
        email: string;
        password: string;
        name?: string;
        org?: string;
        role: string;
      }) => {
        await withDatabase(async ({ db }) => {
          const services = createServices({ db });
          const { user, organization, role } = await services.members.createUser(OPERATOR, {
            email: options.email,
            name: options.name,
            password: options.password,
            ...(options.org ? { organization: options.org } : {}),
            role: options.role,
          });
          console.log(`user ${user.email} created (id ${user.id})`);
          if (organization) {
            const made = organization.created ? 'new organization' : 'organization';
            console.log(`${role} of ${made} "${organization.name}" (${organization.slug})`);
            if (organization.adoptedBrands.length > 0) {
              console.log(`brands adopted into it: ${organization.adoptedBrands.join(', ')}`);
            }
          } else {
            console.log(
              'member of no organization yet (fanfare member add --brand … gives a role)',
            );
          }
        });
      },
    );

  user
    .command('set-password')
    .description("set a user's password (e.g. when they forgot it) and sign out their sessions")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--password <password>', 'the new password (at least 10 characters)')
    .action(async (options: { email: string; password: string }) => {
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const found = await services.users.byEmail(options.email);
        if (!found) throw new CliError('E_USER_UNKNOWN', `no user with email ${options.email}`);
        await services.users.setPassword(found.id, options.password);
        const ended = await services.sessions.revokeAllForUser(found.id);
        await services.audit.record({
          actor: OPERATOR,
          action: 'user.password_changed',
          target: { type: 'user', id: found.id },
        });
        console.log(`password of ${found.email} set; ${ended} session(s) signed out`);
      });
    });
}
