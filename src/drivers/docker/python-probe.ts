// Does an image have Python? python3's version from a one-shot container, or why there is none.
import type Docker from 'dockerode';
import { runOnce } from './run-once.js';
import type { DriverContext } from '../types.js';

/** python3's major.minor, or what was seen instead. */
export type PythonProbe = { version: string } | { missing: string };

const VERSION_ARGV = ['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'];

/** Runs python3 in a new container of `image`; a missing interpreter is a result, not a throw. */
export async function probePython(docker: Docker, image: string, ctx: DriverContext): Promise<PythonProbe> {
  let r;
  try {
    r = await runOnce(docker, image, VERSION_ARGV, ctx);
  } catch (err) {
    const message = (err as Error).message;
    if (/executable file not found|no such file or directory/.test(message)) return { missing: 'python3 is not in the image' };
    throw err;
  }
  const v = r.stdout.trim();
  if (r.exitCode === 0 && /^\d+\.\d+$/.test(v)) return { version: v };
  const said = (r.stderr.trim() || r.stdout.trim()).split('\n').pop()?.slice(0, 160) ?? '';
  return { missing: `python3 did not report its version (exit ${r.exitCode}${said ? `: ${said}` : ''})` };
}

/** One line for a base image without Python: what the document's Dockerfile needs and how to fix it. */
export function noPythonLine(image: string, registry: string, why: string): string {
  return `the base image ${image} from ${registry} has no Python (${why}), so the document's \`RUN pip install\` cannot run on it; push a Python image such as python:3.9-slim under that name, or correct environments.docker.baseImage / registry`;
}
