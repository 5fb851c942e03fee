// The document's activation measurement: `time source bin/activate` inside bash, and a bare-bash baseline.

/**
 * Script for `bash --noprofile --norc -c SCRIPT bash ACTIVATE`: sources the activate script between
 * two reads of EPOCHREALTIME (bash's own microsecond clock, as `time source` would) and prints
 * the elapsed microseconds, then checks the activation took effect.
 */
export const ACTIVATE_TIMING_SCRIPT = [
  's=${EPOCHREALTIME/[.,]/}',
  'source "$1"',
  'e=${EPOCHREALTIME/[.,]/}',
  'test -n "$VIRTUAL_ENV" || { echo "activation did not set VIRTUAL_ENV" >&2; exit 3; }',
  'echo $((e - s))',
].join('\n');

/** argv that times one activation in a fresh non-interactive bash. */
export function activateArgv(activatePath: string): string[] {
  return ['bash', '--noprofile', '--norc', '-c', ACTIVATE_TIMING_SCRIPT, 'bash', activatePath];
}

/** argv of the baseline: a bare bash that does nothing. */
export const BARE_BASH_ARGV = ['bash', '--noprofile', '--norc', '-c', ':'];

/** Parses the microseconds the timing script printed into milliseconds. */
export function parseActivateMicros(stdout: string): number {
  const us = Number(stdout.trim().split('\n').pop());
  if (!Number.isFinite(us) || us < 0) throw new Error(`activation timing printed ${JSON.stringify(stdout.trim())}, expected microseconds`);
  return us / 1000;
}
