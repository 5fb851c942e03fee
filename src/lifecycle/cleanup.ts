// The cleanup stack: every resource registers its teardown the moment it exists; run in reverse.

export interface Teardown {
  /** What is torn down, for messages: "container abc123", "venv /tmp/…". */
  what: string;
  fn: () => Promise<void>;
  /** A synchronous last resort, for a forced exit that cannot wait for fn (removing a local folder). */
  sync?: () => void;
  /** The teardown in progress: it stays on the stack (and in pending()) until it has finished. */
  running?: Promise<TeardownFailure | undefined>;
}

export interface TeardownFailure {
  what: string;
  error: string;
}

/** LIFO stack of teardowns with a per-step deadline; each step runs once. */
export class CleanupStack {
  private stack: Teardown[] = [];

  constructor(private readonly deadlineMs = 60_000) {}

  /** Registers a teardown; returns a function that runs it now (and removes it from the stack). */
  push(what: string, fn: () => Promise<void>, sync?: () => void): () => Promise<void> {
    const entry: Teardown = { what, fn, ...(sync ? { sync } : {}) };
    this.stack.push(entry);
    return async () => {
      if (!this.stack.includes(entry)) return;
      const failure = await this.start(entry);
      if (failure) throw new Error(`cleanup of ${failure.what} failed: ${failure.error}`);
    };
  }

  /**
   * A forced exit (a second signal, or cleanup past its grace): the synchronous last resorts of what is still
   * registered, newest first; those that succeed leave the stack. The rest is named as left behind.
   */
  runSyncFallbacks(): void {
    for (const entry of [...this.stack].reverse()) {
      if (!entry.sync) continue;
      try {
        entry.sync();
        this.stack.splice(this.stack.indexOf(entry), 1);
      } catch {
        // left behind; pending() names it
      }
    }
  }

  /** What is still registered or still being torn down, newest first. */
  pending(): string[] {
    return this.stack.map((t) => t.what).reverse();
  }

  /** Runs every teardown, newest first; returns the failures (never throws). */
  async runAll(): Promise<TeardownFailure[]> {
    const failures: TeardownFailure[] = [];
    while (this.stack.length > 0) {
      const failure = await this.start(this.stack[this.stack.length - 1]!);
      if (failure) failures.push(failure);
    }
    return failures;
  }

  /** Starts a teardown once (a second caller waits for the same one); it leaves the stack when it has finished. */
  private start(entry: Teardown): Promise<TeardownFailure | undefined> {
    entry.running ??= this.runOne(entry).finally(() => {
      const i = this.stack.indexOf(entry);
      if (i >= 0) this.stack.splice(i, 1);
    });
    return entry.running;
  }

  private async runOne(entry: Teardown): Promise<TeardownFailure | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.deadlineMs} ms`)), this.deadlineMs);
    });
    try {
      await Promise.race([entry.fn(), deadline]);
      return undefined;
    } catch (err) {
      return { what: entry.what, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
