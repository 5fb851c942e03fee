// Runs inside `unshare --mount --propagation private`: bind-mounts each SOURCE over its TARGET in this private mount
// namespace only (the machine's own mounts are untouched), then runs the command and exits with its status.
// argv: SOURCE=TARGET... -- COMMAND ARGS...   (every command is an argv array; no shell)
import { execFileSync, spawn } from 'node:child_process';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
if (sep < 1 || sep === args.length - 1) {
  process.stderr.write('usage: mount-then-exec.mjs SOURCE=TARGET... -- COMMAND ARGS...\n');
  process.exit(2);
}
for (const pair of args.slice(0, sep)) {
  const i = pair.indexOf('=');
  execFileSync('mount', ['--bind', pair.slice(0, i), pair.slice(i + 1)], { stdio: 'inherit', timeout: 10_000 });
}
const [cmd, ...rest] = args.slice(sep + 1);
const child = spawn(cmd, rest, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
