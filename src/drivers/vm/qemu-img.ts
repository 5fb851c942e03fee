// Pure qemu-img argv builders and the size arithmetic over `qemu-img info --output=json`.

/** One image of `qemu-img info --backing-chain --output=json` (the fields isobench reads). */
export interface QemuImgInfo {
  filename: string;
  format: string;
  'virtual-size': number;
  'actual-size'?: number;
  'backing-filename'?: string;
}

/** Doubles commas, as QEMU's option syntax (`file=a,,b`) needs for file names. */
export function qemuOptPath(path: string): string {
  return path.replace(/,/g, ',,');
}

/** argv creating a qcow2 overlay backed by `base` (which is never written), of the base's size unless `sizeBytes` is given. */
export function overlayArgv(base: string, overlay: string, opts: { baseFormat?: 'qcow2' | 'raw'; sizeBytes?: number } = {}): string[] {
  const argv = ['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', opts.baseFormat ?? 'qcow2', '-b', base, overlay];
  return opts.sizeBytes === undefined ? argv : [...argv, String(opts.sizeBytes)];
}

/** argv converting a raw filesystem image into a (sparse) qcow2. */
export function convertArgv(raw: string, qcow2: string): string[] {
  return ['qemu-img', 'convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, qcow2];
}

/** argv printing the whole backing chain as JSON; -U reads images a running QEMU holds locked. */
export function infoArgv(file: string): string[] {
  return ['qemu-img', 'info', '-U', '--backing-chain', '--output=json', file];
}

/** Parses `qemu-img info --backing-chain --output=json` (an array, or one object for older versions). */
export function parseInfo(json: string): QemuImgInfo[] {
  const data = JSON.parse(json) as QemuImgInfo | QemuImgInfo[];
  return Array.isArray(data) ? data : [data];
}

/**
 * Disk use of several backing chains (e.g. the base alone, or overlays on one base): actual bytes
 * count every distinct file once (a shared base is not counted per overlay); virtual bytes are the
 * disk sizes the guests see, one per chain (its top image).
 */
export function chainSizes(chains: QemuImgInfo[][]): { actualBytes: number; virtualBytes: number } {
  const seen = new Map<string, number>();
  let virtualBytes = 0;
  for (const chain of chains) {
    if (chain[0]) virtualBytes += chain[0]['virtual-size'];
    for (const img of chain) seen.set(img.filename, img['actual-size'] ?? 0);
  }
  let actualBytes = 0;
  for (const v of seen.values()) actualBytes += v;
  return { actualBytes, virtualBytes };
}
