// The host fingerprint as label/value rows, shared by the Markdown, HTML and comparison reports.
import { formatValue } from './format.js';
import type { RunResults } from '../results/schema.js';
import type { Messages } from './i18n/en.js';

/** The host fingerprint rows: CPU, cores, memory, kernel, OS, versions, the timing floor, then the drivers' facts. */
export function hostRows(h: RunResults['host'], t: Messages): [string, string][] {
  return [
    [t.host.cpu, h.cpuModel],
    [t.host.cores, String(h.cores)],
    [t.host.memory, formatValue(h.memoryBytes, 'bytes')],
    [t.host.kernel, h.kernel],
    [t.host.os, h.os],
    [t.host.arch, h.arch],
    [t.host.python, h.python],
    [t.host.node, h.node],
    ...(h.timing ? [[t.host.timing, `${formatValue(h.timing.floorMs, 'ms')} (${t.host.timingVia(h.timing.spawner, h.timing.helper)})`] as [string, string]] : []),
    ...Object.entries(h.facts).map(([k, v]): [string, string] => [t.facts[k] ?? k, v === 'true' || v === 'false' ? t.holdsValue[v] : t.reader.runNote(v)]),
  ];
}
