// Layer sharing between two images, from their histories and the Engine's disk usage (pure).

/** One entry of GET /images/{name}/history. */
export interface HistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
}

/** Bytes of the layers two images share: their common oldest-first history prefix. */
export function sharedBytes(a: HistoryEntry[], b: HistoryEntry[]): number {
  const oldA = [...a].reverse();
  const oldB = [...b].reverse();
  let shared = 0;
  for (let i = 0; i < Math.min(oldA.length, oldB.length); i++) {
    if (!sameEntry(oldA[i]!, oldB[i]!)) break;
    shared += oldA[i]!.Size;
  }
  return shared;
}

function sameEntry(x: HistoryEntry, y: HistoryEntry): boolean {
  if (x.Id !== '<missing>' || y.Id !== '<missing>') return x.Id === y.Id;
  return x.Created === y.Created && x.CreatedBy === y.CreatedBy && x.Size === y.Size;
}

/** An image row of GET /system/df. */
export interface DfImage {
  Id: string;
  Size: number;
  SharedSize: number;
}

/** Disk the two images take together: the shared bytes once, plus each image's own (unshared) bytes per system df. */
export function diskUsedBytes(shared: number, a: DfImage, b: DfImage): number {
  const own = (x: DfImage) => (x.SharedSize >= 0 ? x.Size - x.SharedSize : x.Size - shared);
  return shared + own(a) + own(b);
}
