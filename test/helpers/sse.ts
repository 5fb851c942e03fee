// Reading the live pages' server-sent events (`event: report`, data {seq, html}) in tests and the bench.
import { get, type IncomingMessage } from 'node:http';

export interface ReportEvent {
  seq: number;
  html: string;
}

/** Calls onReport with each report event as it arrives on an event-stream response. */
export function onReports(res: IncomingMessage, onReport: (e: ReportEvent) => void): void {
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = /^event: report\ndata: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (data) onReport(JSON.parse(data) as ReportEvent);
    }
  });
}

/** Opens base/events and resolves with the first pushed page that passes `wanted`, then closes the stream. */
export function pushedPage(base: string, wanted: (html: string) => boolean, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/events?since=0`, { agent: false }, (res) =>
      onReports(res, ({ html }) => {
        if (!wanted(html)) return;
        clearTimeout(timer);
        req.destroy();
        resolve(html);
      }),
    );
    const timer = setTimeout(() => req.destroy(new Error(`no wanted page pushed within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('error', reject);
  });
}
