// argv -> command -> exit code (0 ok, 1 an environment errored or a check failed, 2 usage/config/prerequisite error).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './config/errors.js';
import { VERSION } from './lifecycle/labels.js';
import { runCommand, RUN_OPTIONS } from './commands/run.js';
import { doctorCommand } from './commands/doctor.js';
import { imagesCommand } from './commands/images.js';
import { reportCommand, REPORT_OPTIONS } from './commands/report.js';
import { cleanupCommand } from './commands/cleanup.js';
import { classCommand, CLASS_OPTIONS } from './commands/class.js';

const HELP = `isobench ${VERSION}: venv vs container vs VM, measured on this machine

Usage:
  isobench run [options]          create each environment, install requests, measure, probe, report
  isobench doctor [--config FILE] check every prerequisite of the config, with the fix for what is missing
  isobench images build docker|vm|vagrant [--force]
                                  build the offline images (no registry or cloud image needed)
  isobench cleanup [--dry-run] [--all-users] [--run ID]
                                  remove what crashed runs left (containers, QEMU processes, work dirs, domains)
  isobench class serve [--listen ADDR] [--port N] [--lang en|ko] [--state DIR]
                                  a live classroom: every student's run on one projected page
  isobench class export DIR [--state DIR]
                                  after class: each machine's results.json and the class page as HTML
  isobench --help | --version
  isobench COMMAND --help         that command's usage and options

Options of run:
  --config FILE      YAML config (default: the embedded src/config/default.yaml)
  --only KINDS       comma list of venv,docker,vm (default: those the config enables); all: every row, Vagrant included
  --require KINDS    these must complete: exit 2 if one cannot run here, 1 if one fails
  --samples N        timed samples per measurement (overrides the config)
  --instances LIST   density: start k instances of each environment at once, e.g. 1,2,4,8 (k <= 16)
  --out DIR          output folder (default: reports/<run id>/); never a folder of yours that is not empty
  --json             print the results JSON on stdout (and nothing else there)
  --lang en|ko|both  report languages (default: both)
  --keep             keep the environments after the run
  --clean            afterwards remove isobench's caches (its Docker images, the VM image, wheelhouses)
  --docker-host URL  Docker Engine address (default: DOCKER_HOST, then the usual sockets)
  --accel MODE       VM acceleration: auto (KVM trial, answer cached), kvm-trial (a fresh trial), kvm, tcg
  --serve PORT       serve the HTML report on 127.0.0.1:PORT, updated live as results arrive (0: any port)
  --submit URL --code CODE
                     send the results to the class server after each environment (isobench class serve prints both)
  -v, --verbose      more detail on stderr

Options of class:
  --listen ADDR      address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 opens it to the room)
  --port N           port (default: 8787; 0 picks a free one)
  --lang en|ko       language of the class page (default: en)
  --state DIR        where the class is kept across restarts (default: reports/class)

Options of report:
  --format md|html|json  report format (default: md)
  --out DIR          write report.<format> (and report.ko.<format>) there; default: stdout
  --lang en|ko|both  report languages (default: both with --out, else en)
  --baseline OLD.json
                     flag metrics whose 95% CI got worse than the baseline's (exit 1 when one did)
  --threshold PCT    how far beyond the baseline CI counts as a regression, in % of its median (default: 10%)
  --junit FILE       also write the claim verdicts as JUnit XML (refuted/off fail, not measured skipped)

Exit codes: 0 ok (skipped for a missing prerequisite is not a failure unless --require'd); 1 an environment errored,
a required one did not complete, a check failed, or a regression (report --baseline); 130/143 interrupted by SIGINT/SIGTERM; 2 usage, config or prerequisite error.
`;

/** The options of the commands whose options live here (run, report and class export their own). */
export const DOCTOR_OPTIONS = { config: { type: 'string' } } as const;
export const IMAGES_OPTIONS = { force: { type: 'boolean' }, config: { type: 'string' } } as const;
export const CLEANUP_OPTIONS = { config: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'all-users': { type: 'boolean' }, run: { type: 'string' } } as const;

/** `isobench COMMAND --help`: each command's own usage, every option it accepts named. */
export const COMMAND_HELP: Record<string, string> = {
  run: `Usage: isobench run [options]
  create each environment, install requests, measure, probe, report

${HELP.slice(HELP.indexOf('Options of run:\n') + 'Options of run:\n'.length, HELP.indexOf('\nOptions of class:'))}`,
  doctor: `Usage: isobench doctor [--config FILE]
  check every prerequisite of the config, with the fix for what is missing (exit 2 when a needed one is missing)

  --config FILE      YAML config (default: the embedded src/config/default.yaml)
`,
  images: `Usage: isobench images build docker|vm|vagrant [--force] [--config FILE]
  build the offline images from Debian's packages (no registry or cloud image needed); vm builds every guest of
  environments.vm.guests: the desktop guest's first build is minutes of apt (environments.vm.profiles.desktop.packages)

  --force            rebuild even when the cached image is there
  --config FILE      YAML config (default: the embedded src/config/default.yaml)

Under sudo the images go into the invoking user's cache (SUDO_UID's ~/.cache/isobench; the Vagrant box into
their ~/.vagrant.d), given to that user afterwards, where that user's runs find them.
`,
  cleanup: `Usage: isobench cleanup [--dry-run] [--all-users] [--run ID] [--config FILE]
  remove what your crashed runs left (containers, QEMU processes, work dirs, libvirt domains); what a live
  isobench process of any user owns is never touched (its owner's pid, start time and boot, read from /proc)

  --dry-run          list what would be removed, remove nothing
  --all-users        also other users' dead runs' leftovers, each named with its user (root, or the docker
                     group for containers)
  --run ID           only what the run ID left (the id a run prints first, and names when it leaves something)
  --config FILE      YAML config (default: the embedded src/config/default.yaml)
`,
  report: `Usage: isobench report RESULTS.json... [options]
  re-render one results file, or compare several machines side by side

${HELP.slice(HELP.indexOf('Options of report:\n') + 'Options of report:\n'.length, HELP.indexOf('\nExit codes:'))}`,
  class: `Usage: isobench class serve [--listen ADDR] [--port N] [--lang en|ko] [--state DIR]
       isobench class export DIR [--state DIR]
  serve: a live classroom, every student's run on one projected page; export: each machine's results.json
  and the class page as HTML

${HELP.slice(HELP.indexOf('Options of class:\n') + 'Options of class:\n'.length, HELP.indexOf('\nOptions of report:'))}`,
};

/** True when the arguments ask for help (before a `--` that ends the options). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Parses argv with node's parseArgs; unknown options are a usage error naming the option. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError('usage', `${(err as Error).message.split('\n')[0]}; see isobench --help`);
  }
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && COMMAND_HELP[command] && wantsHelp(rest)) {
      process.stdout.write(COMMAND_HELP[command]!);
      return 0;
    }
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case '--version':
      case '-V':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case 'run':
        return await runCommand(parse(rest, RUN_OPTIONS));
      case 'doctor':
        return await doctorCommand(parse(rest, DOCTOR_OPTIONS));
      case 'images':
        return await imagesCommand(parse(rest, IMAGES_OPTIONS));
      case 'report':
        return await reportCommand(parse(rest, REPORT_OPTIONS));
      case 'class':
        return await classCommand(parse(rest, CLASS_OPTIONS));
      case 'cleanup':
        return await cleanupCommand(parse(rest, CLEANUP_OPTIONS));
      default:
        throw new UserError('usage', `unknown command "${command}"; the commands are run, doctor, images, cleanup, report, class (see isobench --help)`);
    }
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`isobench: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`isobench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
