import { Option, type Command } from 'commander';
import { createServices, OPERATOR } from '../../services';
import { ROLES } from '../../services/members/roles';
import { CliError, withDatabase } from '../context';
import { readDevStack } from '../dev-stack';

export function register(program: Command): void {
  const member = program.command('member').description('who may see and change a brand');
  member
    .command('add')
    .description('give an existing user a role on one brand')
    .requiredOption('--brand <slug>', 'the brand')
    .requiredOption('--email <email>', 'the user (see: fanfare user create)')
    .addOption(
      new Option('--role <role>', 'their role on the brand').choices(ROLES).makeOptionMandatory(),
    )
    .action(async (options: { brand: string; email: string; role: string }) => {
      await withDatabase(async ({ db }) => {
        const services = createServices({ db });
        const added = await services.members.addToBrand(OPERATOR, {
          brandSlug: options.brand,
          email: options.email,
          role: options.role,
        });
        const effective = await services.members.memberships.roleInBrand(
          added.userId,
          options.brand,
        );
        console.log(
          `${options.email.trim().toLowerCase()} is ${added.role} of brand ${options.brand}`,
        );
        if (effective && effective.role !== added.role) {
          console.log(`(their organization role makes them ${effective.role} there)`);
        }
      });
    });

  member
    .command('invite')
    .description('invite an email with a role; prints the link to send them (valid 7 days)')
    .option('--org <name>', 'into the organization (slug or name): every brand of it')
    .option('--brand <slug>', 'into one brand only')
    .requiredOption('--email <email>', 'who is invited')
    .addOption(new Option('--role <role>', 'their role').choices(ROLES).makeOptionMandatory())
    .action(async (options: { org?: string; brand?: string; email: string; role: string }) => {
      if (!options.org === !options.brand) {
        throw new CliError('E_INPUT', 'give either --org or --brand');
      }
      await withDatabase(async ({ db }, env) => {
        const services = createServices({ db });
        const { organizations } = services.members;
        const organization = options.org
          ? await organizations.find(options.org)
          : await organizations.ofBrandSlug(options.brand!);
        if (!organization) {
          throw options.org
            ? new CliError('E_ORGANIZATION_UNKNOWN', `no organization named "${options.org}"`)
            : new CliError('E_BRAND_UNKNOWN', `no brand "${options.brand}" in any organization`);
        }
        const invite = await services.invitations.create(OPERATOR, {
          organizationId: organization.id,
          brandSlug: options.brand ?? null,
          email: options.email,
          role: options.role,
        });
        const web = readDevStack(env.DATA_DIR)?.webUrl ?? '<your Fanfare URL>';
        console.log(`${web}/invite/${invite.token}`);
        console.error(
          `invitation for ${invite.email} as ${invite.role} created; the link works once, until ${invite.expiresAt.toISOString()}`,
        );
      });
    });
}
