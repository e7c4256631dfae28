import { Command } from 'commander';
import { loadConfig, startServer } from '@civicgrid/server';
import {
  auditVerifyCommand,
  demoAccountsCommand,
  demoSeedCommand,
  describeError,
  importUnitsCommand,
  locateCommand,
  migrateCommand,
  statsCommand,
  requireTotpCommand,
  userAddCommand,
  userTotpCommand,
  validateGridsCommand,
} from './commands.js';
import { classifyCommand, trainClassifierCommand } from './classifier-commands.js';

const program = new Command('civicgrid')
  .description('civicgrid — grid-based social governance (网格化社会治理)')
  .showHelpAfterError();

/** Runs a command; errors become a readable message and exit code 1 (2 for a failed check). */
const run =
  <A extends unknown[]>(fn: (...a: A) => Promise<number | void>) =>
  async (...a: A) => {
    try {
      const code = await fn(...a);
      if (typeof code === 'number') process.exitCode = code;
    } catch (e) {
      process.stderr.write(`${describeError(e)}\n`);
      process.exitCode = 1;
    }
  };

program
  .command('serve')
  .description('start the HTTP server (PORT, HOST, CIVICGRID_DATA_DIR, DATABASE_URL)')
  .action(
    run(async () => {
      const server = await startServer(loadConfig());
      server.app.log.info(`civicgrid listening on ${server.url}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    }),
  );
program.command('migrate').description('apply pending database migrations').action(run(migrateCommand));
program
  .command('demo-seed')
  .description(
    'build the demo district of Licheng (14 streets, 347 communities, 1,209 + 1,498 grids) into an empty database',
  )
  .option('--seed <n>', 'random seed', '370112')
  .option('--json', 'machine-readable output')
  .action(run(demoSeedCommand));
program
  .command('demo-accounts')
  .description('list the demo accounts')
  .option('--json')
  .action(run(demoAccountsCommand));
program
  .command('stats')
  .description('counts of the structure and people')
  .option('--json')
  .action(run(statsCommand));
program
  .command('validate-grids')
  .description('topology check: gaps, overlaps, units outside their parent (exit 1 if any)')
  .option('--json')
  .option('--tolerance <m2>', 'ignore slivers smaller than this many m²', '1')
  .action(run(validateGridsCommand));
program
  .command('locate <lng> <lat>')
  .description('point → basic grid, dedicated grids, community, street')
  .option('--json')
  .action(run(locateCommand));
program
  .command('import-units <file>')
  .description('import units from GeoJSON (all or nothing)')
  .option('--json')
  .action(run(importUnitsCommand));
const user = program.command('user').description('accounts');
user
  .command('add')
  .description('create an account; the password is read from CIVICGRID_NEW_PASSWORD')
  .requiredOption('--username <name>')
  .requiredOption('--name <display name>')
  .requiredOption('--role <role>')
  .option('--unit <code>', 'unit code the account is bound to')
  .option('--department <code>', 'department code (department handlers)')
  .option('--phone <phone>')
  .option('--totp', 'set up a TOTP second factor')
  .option('--json')
  .action(run(userAddCommand));
user
  .command('totp <username>')
  .description('set up (or replace) the TOTP second factor of an account; prints the secret once')
  .option('--json')
  .action(run(userTotpCommand));
program
  .command('require-totp <on|off>')
  .description('whether staff must give a TOTP code at login (on by default; off in the demo)')
  .option('--json')
  .action(run(requireTotpCommand));
const audit = program.command('audit').description('the audit log');
audit
  .command('verify')
  .description('recompute the hash chain; names the first broken row (exit 1 if broken)')
  .option('--json')
  .action(run(auditVerifyCommand));

program
  .command('classify')
  .description(
    'smart routing (智能分拨): JSON lines {"text"} on stdin → {"label","level2","level3","department","confidence"} on stdout',
  )
  .option('--model <file>', 'model file (.json or .json.gz) instead of the shipped one')
  .action(run(classifyCommand));
program
  .command('train-classifier')
  .description('train the routing model on data/messages/train.jsonl.gz (+ corrections) and write it')
  .requiredOption('--out <file>', 'model file to write (.gz: gzipped)')
  .option('--corrections <file>', 'JSON lines {"text","label"}: operators\' corrections, weighted ×3')
  .option('--json', 'machine-readable output')
  .action(run(trainClassifierCommand));

await program.parseAsync(process.argv);
