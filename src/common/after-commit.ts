import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Work that follows a committed change (putting jobs on the queue, sending what was just decided)
 * runs here, in the background: a request never waits on the queue after its commit, and a
 * failure is only logged — Postgres already holds the work and the reconciler catches up.
 * Shutdown waits (briefly) for what is under way, before the queues and connections close.
 */
@Injectable()
export class AfterCommit implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterCommit.name);
  private readonly running = new Set<Promise<void>>();

  run(label: string, work: () => Promise<unknown>): void {
    const task: Promise<void> = work()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.warn({
          message: 'after-commit step failed; the reconciler will catch up',
          step: label,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when every step started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Before queues and connections close: let what is under way finish (for at most 10 s). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.race([this.settled(), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }
}
