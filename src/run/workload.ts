// The workload every environment runs: the document's `python -c "import requests; print(requests.__version__)"`,
// instrumented to report its own import time and peak memory.

/** Prints one JSON line: requests' version, Python's version, the import's ms and the process's peak RSS. */
export const IMPORT_REQUESTS = `import json, resource, sys, time
t0 = time.perf_counter()
import requests
t1 = time.perf_counter()
print(requests.__version__)
print(json.dumps({"requests": requests.__version__, "python": sys.version.split()[0],
                  "importMs": (t1 - t0) * 1000, "maxrssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))`;

export interface WorkloadOutput {
  requests: string;
  python: string;
  importMs: number;
  maxrssKb: number;
}

/** Parses the workload's JSON line; throws naming what came out instead. */
export function parseWorkload(stdout: string): WorkloadOutput {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const v = JSON.parse(line) as WorkloadOutput;
    if (typeof v.requests === 'string' && typeof v.maxrssKb === 'number') return v;
  } catch {
    /* fall through to the error below */
  }
  throw new Error(`import requests printed ${JSON.stringify(stdout.trim().slice(-300))}, not the expected JSON line`);
}
