// The cleanup stack: every resource registers its teardown the moment it exists; run in reverse.

export interface Teardown {
  /** What is torn down, for messages: "container abc123", "venv /tmp/…". */
  what: string;
  fn: () => Promise<void>;
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
  push(what: string, fn: () => Promise<void>): () => Promise<void> {
    const entry: Teardown = { what, fn };
    this.stack.push(entry);
    return async () => {
      const i = this.stack.indexOf(entry);
      if (i < 0) return;
      this.stack.splice(i, 1);
      const failure = await this.runOne(entry);
      if (failure) throw new Error(`cleanup of ${failure.what} failed: ${failure.error}`);
    };
  }

  /** What is still registered, newest first. */
  pending(): string[] {
    return this.stack.map((t) => t.what).reverse();
  }

  /** Runs every teardown, newest first; returns the failures (never throws). */
  async runAll(): Promise<TeardownFailure[]> {
    const failures: TeardownFailure[] = [];
    while (this.stack.length > 0) {
      const entry = this.stack.pop()!;
      const failure = await this.runOne(entry);
      if (failure) failures.push(failure);
    }
    return failures;
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
