/**
 * CLI commands the UI tells people to run. They are code, so they stay the same in every
 * language; the sentences around them are translated.
 */
export const brandCreateCommand = (organization = '<organization>') =>
  [
    'npm run fanfare -- brand create --slug <slug> --name <name> \\',
    `  --app-id <wx…> --app-secret <secret> --token <token> --org ${organization}`,
  ].join('\n');
