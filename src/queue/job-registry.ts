/**
 * The one registry of queued work. Stored job-name strings must never be renamed: jobs already
 * waiting in a queue carry them.
 */
export const QueueName = {
  Reminders: 'reminders',
  Notifications: 'notifications',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Fire one planned reminder occurrence (any source), if it is still scheduled. */
  'reminder.fire': {
    occurrenceId: string;
    /** When it is due (ISO), for lag measurement: inside a processor `job.delay` reads 0. */
    fireAt: string;
  };
  /** Deliver one outbox message (one recipient, one channel), if it is due. */
  'notification.send': {
    notificationId: string;
  };
  /**
   * A job that never runs (it is delayed by years): while it is in a queue, the queue has kept its
   * data. When it is gone, the queue was wiped and is rebuilt from Postgres at once.
   */
  'queue.sentinel': Record<string, never>;
  /**
   * A review cadence's job scheduler ticks: opens the cadence's current period if it has started
   * and is not open yet (once per plan, cadence and period; Postgres decides).
   */
  'cycle.cadence': { cadenceId: string };
  /** A scheduled ad hoc review cycle reaches its opening date. */
  'cycle.open': { cycleId: string };
  /** Earlier releases' reminder jobs; dropped when met (their occurrences are planned anew). */
  'reminder.send': Record<string, unknown>;
  'milestone.reminder.send': Record<string, unknown>;
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'reminder.fire': QueueName.Reminders,
  'notification.send': QueueName.Notifications,
  'queue.sentinel': QueueName.Reminders,
  'cycle.cadence': QueueName.Reminders,
  'cycle.open': QueueName.Reminders,
  'reminder.send': QueueName.Reminders,
  'milestone.reminder.send': QueueName.Reminders,
};

export type JobHandlers = { readonly [N in JobName]: (data: JobPayloads[N]) => Promise<void> };

export function queueOfJob(name: JobName): QueueName {
  return JOB_QUEUE[name];
}

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, name);
}

/** Id of the sentinel job in every queue. */
export const SENTINEL_JOB_ID = 'duban-sentinel';
