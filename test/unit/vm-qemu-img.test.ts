// qemu-img argv and the disk arithmetic over backing chains.
import { describe, expect, it } from 'vitest';
import { chainSizes, convertArgv, infoArgv, overlayArgv, parseInfo, type QemuImgInfo } from '../../src/drivers/vm/qemu-img.js';
import { guestDf } from '../../src/drivers/vm/vm-metrics.js';

const base: QemuImgInfo = { filename: '/c/root.qcow2', format: 'qcow2', 'virtual-size': 4 * 2 ** 30, 'actual-size': 700e6 };
const overlay = (n: number): QemuImgInfo => ({
  filename: `/w/${n}/overlay.qcow2`,
  format: 'qcow2',
  'virtual-size': 4 * 2 ** 30,
  'actual-size': 2e6,
  'backing-filename': '/c/root.qcow2',
});

describe('qemu-img argv', () => {
  it('creates a qcow2 overlay with an explicit backing format', () => {
    expect(overlayArgv('/c/root.qcow2', '/w/o.qcow2')).toEqual(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', '/c/root.qcow2', '/w/o.qcow2']);
  });
  it('creates an overlay on a raw cloud image, grown to a given size', () => {
    expect(overlayArgv('/c/d.raw', '/w/o.qcow2', { baseFormat: 'raw', sizeBytes: 4 * 2 ** 30 })).toEqual([
      'qemu-img', 'create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', '/c/d.raw', '/w/o.qcow2', String(4 * 2 ** 30),
    ]);
  });
  it('reads the whole chain as JSON without taking the running guest\'s lock', () => {
    expect(infoArgv('/w/o.qcow2')).toEqual(['qemu-img', 'info', '-U', '--backing-chain', '--output=json', '/w/o.qcow2']);
  });
  it('converts raw to qcow2', () => {
    expect(convertArgv('/t/r.raw', '/t/r.qcow2')).toEqual(['qemu-img', 'convert', '-q', '-f', 'raw', '-O', 'qcow2', '/t/r.raw', '/t/r.qcow2']);
  });
});

describe('chainSizes', () => {
  it('counts the base alone', () => {
    expect(chainSizes([[base]])).toEqual({ actualBytes: 700e6, virtualBytes: 4 * 2 ** 30 });
  });
  it('counts a shared base once and each guest disk once', () => {
    expect(chainSizes([[overlay(1), base], [overlay(2), base]])).toEqual({ actualBytes: 704e6, virtualBytes: 8 * 2 ** 30 });
  });
  it('treats a missing actual-size as zero', () => {
    const { 'actual-size': _, ...noActual } = base;
    expect(chainSizes([[noActual]]).actualBytes).toBe(0);
  });
});

describe('parseInfo', () => {
  it('accepts the chain array and the single-object form', () => {
    expect(parseInfo(JSON.stringify([overlay(1), base]))).toHaveLength(2);
    expect(parseInfo(JSON.stringify(base))).toEqual([base]);
  });
});

describe('guestDf', () => {
  const r = (stdout: string, exitCode = 0) => ({ exitCode, stdout, stderr: '', durationMs: 1, timedOut: false });
  it('reads size, used and avail of / from df -B1 inside the guest', () => {
    expect(guestDf(r('     1B-blocks       Used      Avail\n4226809856  680497152 3329126400\n'))).toEqual({ size: 4226809856, used: 680497152, avail: 3329126400 });
  });
  it('names what df printed when it is not that', () => {
    expect(() => guestDf(r('df: /: No such file\n', 1))).toThrow(/df inside the guest printed "df: \/: No such file" \(exit 1/);
  });
});
