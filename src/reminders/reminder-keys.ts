/** Identity of one reminder occurrence: a task, a policy offset and the deadline it was computed for. */
export interface ReminderRef {
  taskId: string;
  offset: string;
  dueAt: Date;
}

/** BullMQ job id (no ':' allowed by BullMQ in custom ids). */
export function reminderJobId(ref: ReminderRef): string {
  return `reminder_${ref.taskId}_${ref.offset}_${ref.dueAt.getTime()}`;
}

/** Notification dedupe key: at most one reminder message per occurrence. */
export function reminderDedupeKey(ref: ReminderRef): string {
  return `reminder:${ref.taskId}:${ref.offset}:${ref.dueAt.toISOString()}`;
}
