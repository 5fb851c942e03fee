// package-visibility: the document's `pip list` in another terminal. A package (a one-file marker module) is
// installed into instance a's site-packages; is it importable there, in another environment of the same kind (the
// driver's sibling where two instances would share one environment: venv B beside venv A; else instance b), and by
// the host's own interpreters (python3, the ones venvs are built from, every python3 on PATH; without any venv)?
// Each side's sys.prefix is kept, so the evidence shows which environments were compared. The marker is removed afterwards.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { run } from '../lifecycle/process.js';
import { pyJson } from './exec-json.js';
import { hostPythons } from './host-pythons.js';
import type { Probe } from './types.js';

const INSTALL = `import json, os, sys, sysconfig
purelib = sysconfig.get_paths()["purelib"]
path = os.path.join(purelib, sys.argv[1] + ".py")
with open(path, "w") as f:
    f.write("VALUE = %r\\n" % sys.argv[1])
print(json.dumps({"path": path, "prefix": sys.prefix}))`;

// No bytecode written: the check leaves nothing behind, in the instance or on the host.
const CHECK = `import importlib, json, sys
sys.dont_write_bytecode = True
try:
    seen = getattr(importlib.import_module(sys.argv[1]), "VALUE", None) == sys.argv[1]
except ImportError:
    seen = False
print(json.dumps({"seen": seen, "prefix": sys.prefix}))`;

const REMOVE = 'import json, os, sys\ntry:\n    os.remove(sys.argv[1])\nexcept OSError:\n    pass\nprint(json.dumps({"ok": True}))';

/** Where the marker was importable; host entries are null when that interpreter would not run. */
export interface PackageSight {
  inA: boolean;
  /** Importable in the other environment (a second environment of the kind, or its second instance). */
  inB: boolean;
  host: { name: string; seen: boolean | null }[];
}

/** Pure: shared when the other environment or a host interpreter imports what a installed; isolated when neither does and every host interpreter ran. */
export function judgePackages(s: PackageSight, elsewhere?: string): { isolated: boolean | null; summary: string } {
  const other = 'another environment does not import it';
  if (!s.inA) return { isolated: null, summary: 'not measured: the package installed in one environment was not importable even there' };
  if (s.inB) return { isolated: false, summary: `a package installed in one environment is importable in another one of the same kind` };
  if (elsewhere) return { isolated: null, summary: `${other}; the host's Python not compared: ${elsewhere}` };
  const seenBy = s.host.filter((h) => h.seen === true).map((h) => h.name);
  const ran = s.host.filter((h) => h.seen !== null).map((h) => h.name);
  if (seenBy.length) return { isolated: false, summary: `a package installed in one environment is importable by the host's ${seenBy.join(', ')}, though not in another environment` };
  if (!ran.length) return { isolated: null, summary: `none of the host's interpreters (${s.host.map((h) => h.name).join(', ')}) ran; ${other}` };
  return { isolated: true, summary: `a package installed in one environment is not importable by the host's ${ran.join(', ')}, nor in another environment` };
}

type Seen = { seen: boolean; prefix: string };

export const packageVisibilityProbe: Probe = {
  id: 'package-visibility',
  title: 'A Python package installed in one environment, seen from another and from the host (pip list in another terminal)',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, env, a, b, ctx, placement }) {
    const name = `isobench_marker_${randomBytes(6).toString('hex')}`;
    const installed = await pyJson<{ path: string; prefix: string }>(driver, a, INSTALL, [name]);
    const { path } = installed;
    // Where the environment's site-packages is a host directory (a venv), the marker is a host file: remove it there too.
    const removeOnHost = ctx.cleanup.push(`marker package ${path}`, () => rm(path, { force: true }));
    let sibling: Awaited<ReturnType<NonNullable<typeof driver.sibling>>> | undefined;
    try {
      sibling = driver.sibling ? await driver.sibling(env, ctx) : undefined;
      const inA = await pyJson<Seen>(driver, a, CHECK, [name]);
      const inB = await pyJson<Seen>(driver, sibling?.inst ?? b, CHECK, [name]);
      const host: PackageSight['host'] = [];
      for (const { name: interp } of await hostPythons(ctx.config.environments.venv.interpreters, ctx.signal)) {
        const r = await run([interp, '-c', CHECK, name], { step: `host ${interp} import`, timeoutMs: 30_000, signal: ctx.signal });
        host.push({ name: interp, seen: r.exitCode === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop()!) as Seen).seen : null });
      }
      await pyJson(driver, a, REMOVE, [path]);
      const { isolated, summary } = judgePackages({ inA: inA.seen, inB: inB.seen, host }, placement.sameMachine ? undefined : placement.reason);
      return {
        id: 'package-visibility',
        isolated,
        summary: `${summary} (sys.prefix ${installed.prefix} against ${inB.prefix})`,
        evidence: {
          module: name,
          installedAt: path,
          prefixInstance: installed.prefix,
          prefixOther: inB.prefix,
          // sibling-environment: a second environment the driver made the same way, without the package; second-instance: the kind's second instance.
          otherIs: sibling ? 'sibling-environment' : 'second-instance',
          importableInInstance: inA.seen,
          importableInOther: inB.seen,
          importableOnHost: Object.fromEntries(host.map((h) => [h.name, h.seen])),
        },
      };
    } finally {
      await sibling?.dispose();
      await removeOnHost();
    }
  },
};
