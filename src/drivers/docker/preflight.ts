// Is Docker usable here? Engine reachable (ping/info), with the facts for the host fingerprint.
import { engine } from './engine.js';
import type { DriverContext, Preflight } from '../types.js';

/** Pings the Engine and reads its info; never throws: an unreachable daemon is {ok: false, reason, fix}. */
export async function dockerPreflight(ctx: DriverContext): Promise<Preflight> {
  try {
    const { docker, host, rule, tried, name } = await engine(ctx);
    const [info, version] = await Promise.all([docker.info(), docker.version()]);
    const facts: Record<string, string> = {
      'docker.host': host,
      'docker.host.rule': rule,
      ...(tried.length ? { 'docker.host.tried': tried.join(', ') } : {}),
      'docker.engine': name,
      'docker.version': String(version.Version),
      'docker.apiVersion': String(version.ApiVersion),
      'docker.storageDriver': String(info.Driver),
      'docker.cgroupVersion': String(info.CgroupVersion ?? '1'),
      'docker.cgroupDriver': String(info.CgroupDriver),
      'docker.rootless': String((info.SecurityOptions ?? []).some((o: string) => o.includes('name=rootless'))),
    };
    return { ok: true, facts };
  } catch (err) {
    const message = (err as Error).message;
    const [reason, fix] = splitFix(message);
    return { ok: false, reason, fix };
  }
}

function splitFix(message: string): [string, string] {
  const i = message.lastIndexOf('; ');
  if (i < 0) return [message, 'start the Docker daemon or set --docker-host to a running Engine'];
  return [message.slice(0, i), message.slice(i + 2)];
}
