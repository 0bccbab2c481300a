import { parentPort, workerData } from 'node:worker_threads';
import { readAndParsePlan } from './document-reader.js';
import { PlanOverLimitError, PlanParseError } from './plan-document.js';
import type { WorkerInput, WorkerOutput } from './parse-plan-document.js';

/*
 * The worker thread that reads and parses one document for parsePlanDocument, under the heap
 * limit its parent gave it; it posts one message and ends.
 */

async function run(input: WorkerInput): Promise<WorkerOutput> {
  const content = Buffer.from(input.content.buffer, input.content.byteOffset, input.content.length);
  try {
    return {
      kind: 'plan',
      plan: await readAndParsePlan(input.fileName, content, input.limits, input.options),
    };
  } catch (error) {
    if (error instanceof PlanOverLimitError)
      return { kind: 'overLimit', message: error.message, limit: error.limit };
    if (error instanceof PlanParseError) return { kind: 'unreadable', message: error.message };
    const e = error instanceof Error ? error : new Error(String(error));
    return { kind: 'failed', message: e.message, stack: e.stack ?? '' };
  }
}

parentPort!.postMessage(await run(workerData as WorkerInput));
