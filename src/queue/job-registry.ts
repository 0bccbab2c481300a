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
  /** Deliver one reminder of one task, if it is still due. */
  'reminder.send': {
    taskId: string;
    /** The policy offset this reminder was computed from, e.g. "-P1D". */
    offset: string;
    /** When the reminder is due (ISO). Inside a processor `job.delay` reads 0, so it travels here. */
    fireAt: string;
    /** The task deadline the reminder was computed for (ISO); a moved deadline makes it stale. */
    dueAt: string;
  };
  /** Deliver one reminder of one milestone (节点), if it is still due. */
  'milestone.reminder.send': {
    milestoneId: string;
    /** The policy offset this reminder was computed from, e.g. "-P1D". */
    offset: string;
    /** When the reminder is due (ISO). */
    fireAt: string;
    /** The milestone deadline the reminder was computed for (ISO); a moved date makes it stale. */
    dueAt: string;
  };
  /** Deliver one queued (outbox) e-mail notification row. */
  'notification.send': {
    notificationId: string;
  };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'reminder.send': QueueName.Reminders,
  'milestone.reminder.send': QueueName.Reminders,
  'notification.send': QueueName.Notifications,
};

export type JobHandlers = { readonly [N in JobName]: (data: JobPayloads[N]) => Promise<void> };

export function queueOfJob(name: JobName): QueueName {
  return JOB_QUEUE[name];
}

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, name);
}
