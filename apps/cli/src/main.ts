#!/usr/bin/env node
/**
 * `ballast`: the command line for Ballast. Run `ballast help` for the commands.
 */
import { parseArgs } from 'node:util';
import { terminalText } from '@ballast/config';
import { cliContext } from './context.js';
import { CliExit, EXIT } from './exit-codes.js';
import { describeFailure } from './failures.js';
import { dryRunCommand, launchCommand } from './commands/launch.js';
import { printReport } from './commands/report.js';
import { planCommand } from './commands/plan.js';
import { cancelCommand, jobsCommand, logsCommand, reconcileCommand, statusCommand } from './commands/status.js';
import { benchmarksCommand } from './commands/benchmarks.js';
import { generateDatasetsCommand } from './commands/datasets.js';
import { mixBuildCommand, mixPreviewCommand, mixShowCommand } from './commands/mix.js';
import { modelsCommand } from './commands/models.js';

const HELP = `ballast — orchestrates RL post-training experiments on beneficial traits

Usage:
  ballast up                         start the embedded stack, the API and a worker (Ctrl-C stops all)
  ballast down                       stop what 'ballast up' started for this BALLAST_HOME (also after a crash)
  ballast server --role api|worker|all   run one role against configured Temporal/PostgreSQL
  ballast launch SPEC [--watch] [--request-id ID] [--user NAME] [--backend local|slurm|ray] [--no-reuse]
  ballast launch SPEC --dry-run [--json]   the resolved arms, comparisons, job count and compute estimate; starts nothing
  ballast status [ID]                list experiments, or one with per-arm progress
  ballast cancel ID                  cancel an experiment and its backend jobs
  ballast report ID [--markdown|--json|--html [--out FILE]]   the report (--html: a self-contained HTML file with charts)
  ballast plan SPEC [--power P] [--assume K=V]...   minimum detectable effect per benchmark for the spec's design
  ballast jobs ID                    an experiment's jobs and attempts
  ballast benchmarks list [--harness K] [--json]   the registered benchmarks (K: reference, inspect, lm-eval)
  ballast benchmarks show REF [--json]             one benchmark, e.g. honesty-probe@1
  ballast benchmarks add FILE [--user NAME]        register a benchmark entry (YAML or JSON; see docs/evaluation.md)
  ballast logs JOB [--follow]        tail a job's output
  ballast reconcile [--now]          the latest reconciliation passes (orphans, LOST jobs), or run one now
  ballast datasets generate          write the SIMULATED reference corpora under BALLAST_HOME
  ballast mix preview FILE           counts, coverage and size of a mix (kind: Mix), without writing it
  ballast mix build FILE             build a mix, with a progress bar
  ballast mix show MIXID [--json]    a mix's manifest
  ballast models tiny DIR [--seed N]   build the tiny random model (plumbing, not science) with the default ML environment
  ballast demo [SPEC] [--real|--full]   run the example end to end on the embedded stack (--real: TRL on a tiny
                                     random model, evaluated with inspect_ai and lm-eval; --full: the study's
                                     design in examples/paper-design.yaml, persistence included)

Global flags: --home DIR (BALLAST_HOME), --api URL (BALLAST_API_URL)
Specs are YAML or JSON (see examples/). Exit codes: 0 ok, 1 failed, 2 invalid input, 3 API unreachable.`;

// The commands that run or stop a server load it (and through its worker, the activity layer) only when
// used: `ballast status` and the other API clients start without it.
const serverCommands = {
  up: async () => (await import('./commands/up.js')).upCommand,
  down: async () => (await import('./commands/down.js')).downCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      home: { type: 'string' },
      api: { type: 'string' },
      watch: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'no-reuse': { type: 'boolean', default: false },
      follow: { type: 'boolean', short: 'f', default: false },
      now: { type: 'boolean', default: false },
      'request-id': { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      harness: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string', default: 'all' },
      markdown: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      html: { type: 'boolean', default: false },
      out: { type: 'string' },
      power: { type: 'string' },
      assume: { type: 'string', multiple: true },
      real: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? EXIT.ok : EXIT.invalid;
  }
  const need = (name: string) => {
    const value = args[0];
    if (!value) throw new CliExit(EXIT.invalid, `ballast ${command}: missing ${name}\n\n${HELP}`);
    return value;
  };
  const ctx = cliContext({ home: values.home, api: values.api });
  switch (command) {
    case 'up':
      await (await serverCommands.up())(ctx, 'all');
      return EXIT.ok;
    case 'down':
      await (await serverCommands.down())(ctx);
      return EXIT.ok;
    case 'server': {
      const role = values.role;
      if (role !== 'all' && role !== 'api' && role !== 'worker') throw new CliExit(EXIT.invalid, `--role: must be api, worker or all (got '${terminalText(role)}')`);
      await (await serverCommands.up())(ctx, role);
      return EXIT.ok;
    }
    case 'launch':
      if (values['dry-run']) {
        await dryRunCommand(ctx, need('SPEC'), { backend: values.backend, json: values.json, noReuse: values['no-reuse'] });
        return EXIT.ok;
      }
      await launchCommand(ctx, need('SPEC'), { watch: values.watch, requestId: values['request-id'], user: values.user, backend: values.backend, noReuse: values['no-reuse'] });
      return EXIT.ok;
    case 'status':
      await statusCommand(ctx, args[0]);
      return EXIT.ok;
    case 'cancel':
      await cancelCommand(ctx, need('ID'));
      return EXIT.ok;
    case 'report':
      await printReport(ctx, need('ID'), values.json ? 'json' : values.markdown ? 'markdown' : values.html ? 'html' : 'summary', { out: values.out });
      return EXIT.ok;
    case 'plan':
      await planCommand(ctx, need('SPEC'), { power: values.power, assume: values.assume ?? [] });
      return EXIT.ok;
    case 'benchmarks':
      await benchmarksCommand(ctx, args, { harness: values.harness, json: values.json, user: values.user });
      return EXIT.ok;
    case 'jobs':
      await jobsCommand(ctx, need('ID'));
      return EXIT.ok;
    case 'reconcile':
      await reconcileCommand(ctx, values.now);
      return EXIT.ok;
    case 'logs':
      await logsCommand(ctx, need('JOB'), values.follow);
      return EXIT.ok;
    case 'mix': {
      const [verb, target] = args;
      if (verb === 'preview' && target) await mixPreviewCommand(ctx, target);
      else if (verb === 'build' && target) await mixBuildCommand(ctx, target);
      else if (verb === 'show' && target) await mixShowCommand(ctx, target, values.json);
      else throw new CliExit(EXIT.invalid, 'usage: ballast mix preview FILE | mix build FILE | mix show MIXID [--json]');
      return EXIT.ok;
    }
    case 'datasets':
      if (args[0] !== 'generate') throw new CliExit(EXIT.invalid, "usage: ballast datasets generate");
      await generateDatasetsCommand(ctx);
      return EXIT.ok;
    case 'models':
      await modelsCommand(ctx, args, { seed: values.seed });
      return EXIT.ok;
    case 'demo':
      await (await serverCommands.demo())(ctx, args[0], { real: values.real, full: values.full });
      return EXIT.ok;
    default:
      throw new CliExit(EXIT.invalid, `unknown command '${terminalText(command)}'\n\n${HELP}`);
  }
}

// `ballast status | head`: the reader went away; that is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const failure = describeFailure(error);
  process.stderr.write(`${failure.text}\n`);
  process.exitCode = failure.exitCode;
}
