// A failed step's tool output -> one line naming the cause, and the fix where isobench knows one. The whole
// output goes to the run's log (isobench.log); the report's row says the cause and links to the log.

export interface Failure {
  /** One line: what failed and why, no tool output beyond a short quote. */
  reason: string;
  fix?: string;
}

/** The longest quote of a tool's own words a reason carries. */
export const QUOTE_MAX = 160;

/** pip's signs of an index it could not reach (urllib3's retry warnings, connection and name-resolution errors). */
const UNREACHABLE =
  /Retrying \(Retry\(|Failed to establish a new connection|Connection refused|Name or service not known|Temporary failure in name resolution|No route to host|Network is unreachable|ConnectTimeoutError|Read timed out|ProxyError|Could not fetch URL/i;
const NO_DISTRIBUTION = /No matching distribution found for ([^\s'"]+)/i;
const PIP = /\bpip\b|No matching distribution|Could not find a version that satisfies/i;

interface Rule {
  test: (text: string) => boolean;
  cause: (text: string) => string;
  fix: string;
}

/** Why pip could not reach its index, in a few words: the first connection error's kind. */
function unreachableCause(text: string): string {
  const kinds: [RegExp, string][] = [
    [/Connection refused/i, 'connection refused'],
    [/Name or service not known|Temporary failure in name resolution|getaddrinfo failed/i, 'the host name does not resolve'],
    [/No route to host|Network is unreachable/i, 'no route to the host'],
    [/timed out/i, 'timed out'],
    [/ProxyError/i, 'the proxy refused'],
  ];
  const kind = kinds.find(([re]) => re.test(text))?.[1];
  const retries = text.split('\n').filter((l) => /WARNING: Retrying \(Retry\(/.test(l)).length;
  const parts = [kind, retries ? `${retries} ${retries === 1 ? 'retry' : 'retries'}` : undefined].filter(Boolean);
  return `pip could not reach a package index${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

const RULES: Rule[] = [
  {
    test: (t) => PIP.test(t) && /CERTIFICATE_VERIFY_FAILED|SSLError|certificate verify failed/i.test(t),
    cause: () => "pip could not verify the package index's TLS certificate",
    fix: 'PIP_CERT (or cert in pip.conf) naming your CA bundle, PIP_INDEX_URL for another index, or a wheelhouse (pip.wheelhouse)',
  },
  {
    test: (t) => PIP.test(t) && UNREACHABLE.test(t),
    cause: unreachableCause,
    fix: 'the network, PIP_INDEX_URL (or pip.indexUrl in the config), or a wheelhouse (pip.wheelhouse)',
  },
  {
    // No retry warning (PIP_RETRIES=0 prints none) and no version at all: unreachable and empty look alike.
    test: (t) => NO_DISTRIBUTION.test(t) && /\(from versions: none\)/.test(t),
    cause: (t) => `pip found ${NO_DISTRIBUTION.exec(t)![1]} on no index (from versions: none): an index it could not reach, or one without it`,
    fix: 'the network, PIP_INDEX_URL (or pip.indexUrl in the config), or a wheelhouse (pip.wheelhouse)',
  },
  {
    test: (t) => NO_DISTRIBUTION.test(t),
    cause: (t) => `pip found no distribution of ${NO_DISTRIBUTION.exec(t)![1]} on its index`,
    fix: 'check the name in packages, or point PIP_INDEX_URL (pip.indexUrl) at an index that has it, or use a wheelhouse (pip.wheelhouse)',
  },
  {
    test: (t) => /No space left on device|ENOSPC/i.test(t),
    cause: () => 'the disk is full (no space left on device)',
    fix: "free space in the temp folder, the cache (ISOBENCH_CACHE) or Docker's data root; isobench cleanup removes what dead runs left",
  },
  {
    test: (t) => /docker\.sock/i.test(t) && /permission denied|EACCES/i.test(t),
    cause: () => 'no permission on the Docker socket',
    fix: 'add your user to the docker group (usermod -aG docker USER, then log in again), or pass --docker-host',
  },
  {
    test: (t) => /\btimed out after \d+ s\b/.test(t),
    cause: (t) => `timed out after ${/\btimed out after (\d+) s\b/.exec(t)![1]} s`,
    fix: 'raise timeouts.stepSec in the config; the log shows where it stalled',
  },
];

/** Whitespace collapsed, cut at QUOTE_MAX characters. */
export function oneLine(text: string, max = QUOTE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The line of a tool's output that says what went wrong: its first ERROR:/error: line, else its last non-empty line. */
export function telling(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(ERROR|error|Error|fatal|E):? /.test(l)) ?? lines.find((l) => /\b(error|failed|denied)\b/i.test(l)) ?? lines[lines.length - 1] ?? '';
}

/** Text without terminal escapes (colours, cursor moves, hyperlinks): a tool forced to colour (FORCE_COLOR in CI) still reads plain. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]/g, '');
}

/** A failed step and the whole message it failed with -> one line (the cause) and the fix where known. */
export function classifyFailure(step: string, raw: string): Failure {
  const message = plain(raw);
  const rule = RULES.find((r) => r.test(message));
  if (rule) return { reason: `${step} failed: ${rule.cause(message)}`, fix: rule.fix };
  return { reason: `${step} failed: ${oneLine(telling(message))}` };
}
