// Why a pull of the base image failed, and the fix, in words (pure): from the Engine's message and how far the pull got.
import { splitTag } from './base.js';
import { registryName } from './registry-ref.js';

/** A failed pull in words: the cause (names the registry) and what to do about it. */
export interface PullFailure {
  cause: string;
  fix: string;
}

/** How far a pull got before it failed: layer transfers had begun (the registry answered with the manifest). */
export interface PullProgress {
  layersStarted: boolean;
  /** Bytes reported downloaded across layers when it failed. */
  bytes: number;
}

const UNREACHABLE = /connection refused|i\/o timeout|network is unreachable|no route to host|Client\.Timeout|connection reset|EOF|broken pipe/i;

/** Explains a failed pull of `image`; the registry is named as configured (Docker Hub by name, never by address). */
export function explainPull(image: string, message: string, progress: PullProgress = { layersStarted: false, bytes: 0 }): PullFailure {
  const registry = registryName(image);
  const hub = registry === 'Docker Hub';
  const where = hub ? 'Docker Hub' : `the registry ${registry}`;
  const line = message.split('\n')[0]!;
  const { repo, tag } = splitTag(image);
  if (progress.layersStarted && UNREACHABLE.test(line)) {
    const got = progress.bytes > 0 ? ` after ${(progress.bytes / 1e6).toFixed(1)} MB` : '';
    return {
      cause: `${where} stopped answering in the middle of the pull${got} (${engineWords(line)})`,
      fix: `check that ${hub ? 'the network to it' : 'the registry'} is up and run again`,
    };
  }
  if (/no such host|server misbehaving/.test(line)) {
    return { cause: `${hub ? "Docker Hub's name" : `the name of ${where}`} does not resolve: no network to it`, fix: hub ? 'connect this machine to the network or set environments.docker.registry to a mirror' : 'check environments.docker.registry / baseImage' };
  }
  if (UNREACHABLE.test(line)) {
    return { cause: `${where} cannot be reached (${engineWords(line)})`, fix: hub ? 'connect this machine to the network or set environments.docker.registry to a mirror' : `start the registry at ${registry} or correct environments.docker.registry / baseImage` };
  }
  if (/server gave HTTP response to HTTPS client/.test(line)) {
    return { cause: `${where} speaks plain HTTP, which dockerd allows only for loopback addresses and its insecure-registries`, fix: `add "${registry}" to "insecure-registries" in dockerd's daemon.json, or serve the registry over TLS` };
  }
  if (/manifest unknown|not found/i.test(line)) {
    return { cause: `${where} has no image ${repo.slice(hub ? 0 : registry.length + 1)}:${tag} (manifest unknown)`, fix: `push it there or correct environments.docker.baseImage${hub ? '' : ' / registry'}` };
  }
  if (/pull access denied|unauthorized|denied|authentication required/i.test(line)) {
    return { cause: `${where} refuses access to ${repo}`, fix: `docker login${hub ? '' : ` ${registry}`}, or correct environments.docker.baseImage` };
  }
  return { cause: `${where}: ${redact(line)}`, fix: 'see dockerd\'s log for the cause' };
}

/** One line: `cannot pull IMAGE: cause; fix`, for errors and notes. */
export function pullFailureLine(image: string, f: PullFailure): string {
  return `cannot pull ${image}: ${f.cause}; ${f.fix}`;
}

/** The Engine's own words without URLs (a report may be shared): "dial tcp ...: connect: connection refused" -> "connection refused". */
function engineWords(line: string): string {
  const m = UNREACHABLE.exec(line);
  return m ? m[0] : redact(line);
}

function redact(line: string): string {
  return line
    .replace(/^\(HTTP code \d+\) [a-z ]+ - /, '')
    .replace(/"?https?:\/\/[^\s"]+"?/g, '<registry>')
    .replace(/lookup \S+ on \S+/g, 'lookup')
    .slice(0, 200);
}
