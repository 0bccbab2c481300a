import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readAndParsePlan } from './document-reader.js';
import {
  limitsWith,
  overLimit,
  type PlanDocumentLimit,
  type PlanDocumentLimits,
} from './limits.js';
import { schoolCalendarWith } from './deadline-hints.js';
import {
  PlanOverLimitError,
  PlanParseError,
  type ParsedPlan,
  type PlanParseOptions,
} from './plan-document.js';

/** Limits to use instead of PLAN_DOCUMENT_LIMITS for one document. */
export type ParseBudget = Partial<PlanDocumentLimits>;

/** What parsePlanDocument hands its worker. */
export interface WorkerInput {
  fileName: string;
  content: Uint8Array;
  limits: PlanDocumentLimits;
  options: PlanParseOptions;
}

/** The one message a worker posts back. */
export type WorkerOutput =
  | { kind: 'plan'; plan: ParsedPlan }
  | { kind: 'unreadable'; message: string }
  | { kind: 'overLimit'; message: string; limit: PlanDocumentLimit }
  | { kind: 'failed'; message: string; stack: string };

/**
 * Reads and parses a plan document (.txt or .docx) off the caller's event loop: in a worker
 * thread of its own, with a heap limit (maxHeapMb), terminated when it runs past timeoutMs.
 * `options` say how wording is dated (see PlanParseOptions). Resolves to the ParsedPlan; rejects with PlanParseError for a file that is not a readable plan
 * and with PlanOverLimitError for one over a limit (file size, zip entries, uncompressed size,
 * XML nesting, time, memory). At most as many documents as there are CPUs are parsed at once;
 * the others wait their turn.
 */
export async function parsePlanDocument(
  fileName: string,
  content: Buffer,
  budget: ParseBudget = {},
  options: PlanParseOptions = {},
): Promise<ParsedPlan> {
  const limits = limitsWith(budget);
  // A wrong option is the caller's mistake, told before any work is done.
  schoolCalendarWith(options.schoolCalendar);
  if (content.length === 0) throw new PlanParseError('文件为空');
  if (content.length > limits.maxFileBytes) throw overLimit('maxFileBytes', limits);
  const script = workerScript();
  // Only when running from the TypeScript sources without a build (see workerScript).
  if (script === null) return readAndParsePlan(fileName, content, limits, options);
  return slots.run(() =>
    parseInWorker(script, { fileName, content: copy(content), limits, options }),
  );
}

/** Throws PlanOverLimitError when a file of `bytes` is over the file size limit. */
export function checkFileSize(bytes: number, budget: ParseBudget = {}): void {
  const limits = limitsWith(budget);
  if (bytes > limits.maxFileBytes) throw overLimit('maxFileBytes', limits);
}

function parseInWorker(script: URL, input: WorkerInput): Promise<ParsedPlan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: input,
      transferList: [input.content.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: input.limits.maxHeapMb },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    // The worker ends by itself once it has posted; terminating it anyway, and answering only
    // once it is gone, makes sure no thread outlives its parse.
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate().then(outcome, outcome);
    };
    const timer = setTimeout(
      () => settle(() => reject(overLimit('timeoutMs', input.limits))),
      input.limits.timeoutMs,
    );
    worker.on('message', (output: WorkerOutput) =>
      settle(() => {
        switch (output.kind) {
          case 'plan':
            return resolve(output.plan);
          case 'unreadable':
            return reject(new PlanParseError(output.message));
          case 'overLimit':
            return reject(new PlanOverLimitError(output.message, output.limit));
          case 'failed':
            return reject(Object.assign(new Error(output.message), { stack: output.stack }));
        }
      }),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? overLimit('maxHeapMb', input.limits) : error,
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`plan document worker exited with code ${code}`))),
    );
  });
}

/**
 * The compiled worker script: next to this file when running from dist/. Running from the
 * TypeScript sources (Jest), the built copy in dist/ is used (`npm test` builds first); without
 * one, documents are parsed in the calling thread, with no time or memory limit.
 */
function workerScript(): URL | null {
  const sibling = new URL('./plan-worker.js', import.meta.url);
  if (existsSync(sibling)) return sibling;
  if (!import.meta.url.endsWith('.ts'))
    throw new Error(`plan document worker not found at ${sibling.pathname}`);
  const built = new URL('../../dist/src/plan-document/plan-worker.js', import.meta.url);
  return existsSync(built) ? built : null;
}

/** A copy of the bytes the worker can own (a Buffer may be a view of a larger shared pool). */
function copy(content: Buffer): Uint8Array {
  return new Uint8Array(content);
}

/** Runs at most `size` tasks at once, the others in order of arrival. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const slots = new Slots(Math.max(1, availableParallelism()));
