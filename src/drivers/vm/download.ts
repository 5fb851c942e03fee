// A verified download: fetch streamed into a temp file beside the destination, sha256 computed while
// streaming, renamed into place only when the digest matches (the temp file never outlives the call).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface DownloadOptions {
  /** Expected lowercase hex sha256 of the whole file. */
  sha256: string;
  /** Deadline of the whole download (connect + body). */
  timeoutMs: number;
  /** Aborts the download (the run's SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** The config field holding the digest, named in the mismatch error (e.g. environments.vm.cloud.sha256). */
  sha256Field: string;
  log?: (line: string) => void;
}

export interface DownloadResult {
  bytes: number;
  durationMs: number;
}

/** Downloads `url` to `dest` if its sha256 is the expected one; on any failure `dest` is untouched and no temp file is left. */
export async function downloadVerified(url: string, dest: string, opts: DownloadOptions): Promise<DownloadResult> {
  const t0 = performance.now();
  const tmp = `${dest}.part-${process.pid}`;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await mkdir(dirname(dest), { recursive: true });
    const res = await fetch(url, { signal, redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`download ${url}: the server answered ${res.status} ${res.statusText}; check the URL`);
    const length = Number(res.headers.get('content-length') ?? 0);
    opts.log?.(`downloading ${url}${length ? ` (${(length / 2 ** 20).toFixed(1)} MiB)` : ''}`);
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp),
      { signal },
    );
    const actual = hash.digest('hex');
    if (actual !== opts.sha256) {
      throw new Error(
        `download ${url}: sha256 mismatch, expected ${opts.sha256} (${opts.sha256Field}) but the file has ${actual}; the file was deleted. ` +
          `Fix: check the URL (a "latest" URL changes whenever a new image is published: prefer a dated one), or verify the file against the checksums published beside it and set ${opts.sha256Field} to ${actual}`,
      );
    }
    await rename(tmp, dest);
    return { bytes, durationMs: performance.now() - t0 };
  } catch (err) {
    if (timeout.aborted) throw new Error(`download ${url}: timed out after ${Math.round(opts.timeoutMs / 1000)} s (${bytes} bytes received); raise timeouts.stepSec or use a closer mirror`);
    if (opts.signal.aborted) throw new Error(`download ${url}: aborted after ${bytes} bytes`);
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    if (err instanceof TypeError && cause) throw new Error(`download ${url}: ${cause} (is the host online, is the URL right?)`);
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}
