// tmp-visibility: is a file written to /tmp in one instance seen by the other, and by the host?
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pyJson } from './exec-json.js';
import type { Probe } from './types.js';

const WRITE = 'import json, sys; open(sys.argv[1], "w").write("data\\n"); print(json.dumps({"ok": True}))';
const CHECK = 'import json, os, sys; print(json.dumps({"seen": os.path.exists(sys.argv[1])}))';
const REMOVE = 'import json, os, sys\ntry:\n    os.remove(sys.argv[1])\nexcept OSError:\n    pass\nprint(json.dumps({"ok": True}))';

export const tmpVisibilityProbe: Probe = {
  id: 'tmp-visibility',
  title: 'A file in /tmp seen from the other side',
  appliesTo: ['venv', 'docker', 'vm'],
  async run({ driver, a, b, ctx, placement }) {
    const path = `/tmp/isobench-probe-${randomBytes(6).toString('hex')}.txt`;
    // When /tmp is shared the file lands on the host: remove it there too.
    const removeOnHost = ctx.cleanup.push(`probe file ${path}`, () => rm(path, { force: true }));
    try {
      await pyJson(driver, a, WRITE, [path]);
      const other = (await pyJson<{ seen: boolean }>(driver, b, CHECK, [path])).seen;
      const host = existsSync(path);
      await pyJson(driver, a, REMOVE, [path]);
      const byOther = `a file written to ${path} in one instance is ${other ? 'seen' : 'not seen'} by the other`;
      if (!placement.sameMachine) {
        // Not this machine's /tmp: only the instance-to-instance half is measured, and it decides only "shared".
        return {
          id: 'tmp-visibility',
          isolated: other ? false : null,
          summary: `${byOther}; the host's /tmp not compared: ${placement.reason}`,
          evidence: { path, seenByOther: other, seenByHost: null },
        };
      }
      return {
        id: 'tmp-visibility',
        isolated: !other && !host,
        summary: `${byOther} and ${host ? 'seen' : 'not seen'} by the host`,
        evidence: { path, seenByOther: other, seenByHost: host },
      };
    } finally {
      await removeOnHost();
    }
  },
};
