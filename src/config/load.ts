// Loads a YAML config and validates it; errors name the field path and the YAML line.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LineCounter, isMap, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { UserError } from './errors.js';
import { PACKAGE_ROOT } from '../lifecycle/paths.js';

/** The embedded default config file (what `isobench run` uses with no --config). */
export const DEFAULT_CONFIG_PATH = join(PACKAGE_ROOT, 'src', 'config', 'default.yaml');

/** Reads and validates a config file; throws UserError('config') with field and line on any problem. */
export async function loadConfig(path: string = DEFAULT_CONFIG_PATH): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : String(code);
    throw new UserError('config', `cannot read config ${path}: ${why}; pass an existing readable YAML file to --config`);
  }
  return parseConfig(text, path);
}

/** Validates config text; `file` names it in messages. */
export function parseConfig(text: string, file: string): Config {
  const name = basename(file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lc.linePos(yamlError.pos[0]).line;
    const what = yamlError.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'invalid YAML';
    throw new UserError('config', `${what}: ${firstLine(yamlError.message)} (${name}:${line}); fix the YAML at that line`);
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new UserError('config', `config must be a mapping of settings, got ${Array.isArray(raw) ? 'a list' : typeof raw} (${name}:1)`);
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UserError('config', describeIssue(parsed.error.issues[0]!, doc, lc, name, raw));
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** One line for a zod issue: `path: what was expected, got what (file:line)`. */
function describeIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, name: string, raw: unknown): string {
  let path = issue.path.map(String);
  let what: string;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    what = `unknown key; remove it or check its spelling`;
  } else {
    const got = valueAt(raw, path);
    what = `${expected(issue)}, got ${show(got)}`;
  }
  const line = lineOf(doc, lc, path);
  return `${path.join('.') || '(top level)'}: ${what}${line ? ` (${name}:${line})` : ` (${name})`}`;
}

function expected(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected ')) return issue.message; // the schema's own wording
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number') {
        return Number(issue.minimum) === 0 && !issue.inclusive ? 'expected a positive number' : `expected a number of at least ${issue.minimum}`;
      }
      if (issue.origin === 'array') return `expected a list of at least ${issue.minimum} item(s)`;
      return `expected at least ${issue.minimum} character(s)`;
    case 'too_big':
      return `expected at most ${issue.maximum}`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'expected an integer' : `expected ${article(TYPE_WORDS[issue.expected] ?? issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `expected ${article(TYPE_WORDS[issue.format] ?? issue.format)}`;
    default:
      return issue.message;
  }
}

const TYPE_WORDS: Record<string, string> = { array: 'list', object: 'mapping', url: 'URL' };

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  return JSON.stringify(v);
}

function valueAt(raw: unknown, path: string[]): unknown {
  let cur: unknown = raw;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** 1-based line of the node at `path`, or of its key, or of the nearest parent that exists. */
function lineOf(doc: Document, lc: LineCounter, path: string[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1));
    const parent = n === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((p) => isNode(p.key) && String((p.key as { value?: unknown }).value) === path[n - 1]);
      const node = pair?.key;
      if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    }
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
