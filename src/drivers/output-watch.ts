// Collects a running command's output and resolves waiters when a pattern appears.

/** waitFor's rejection: why it gave up (the command ended, or the time ran out) and the output seen until then. */
export class WaitFailed extends Error {
  constructor(
    message: string,
    readonly why: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Accumulates text; waitFor() resolves when a pattern is seen, rejects on close or timeout. */
export class OutputWatch {
  private text = '';
  private closed: string | undefined;
  private waiters = new Set<() => void>();

  /** Appends output and wakes the waiters. */
  push(chunk: string | Buffer): void {
    this.text += chunk.toString();
    for (const w of this.waiters) w();
  }

  /** Marks the stream ended (the command exited), with a description for waiters. */
  close(why: string): void {
    this.closed = why;
    for (const w of this.waiters) w();
  }

  /** All output so far. */
  get output(): string {
    return this.text;
  }

  /** Resolves with the output once `pattern` matches it; rejects when closed first or after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        if (pattern.test(this.text)) finish(() => resolve(this.text));
        else if (this.closed !== undefined) {
          const why = this.closed;
          finish(() => reject(new WaitFailed(`${why} before ${pattern} appeared; output: ${this.text.trim().slice(-500)}`, why, this.text)));
        }
      };
      const finish = (f: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        f();
      };
      timer = setTimeout(() => {
        const why = `timed out after ${timeoutMs} ms`;
        finish(() => reject(new WaitFailed(`${pattern} did not appear within ${timeoutMs} ms; output: ${this.text.trim().slice(-500)}`, why, this.text)));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
