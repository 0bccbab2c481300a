/**
 * The task lifecycle as a pure state machine.
 *
 *   assigned → acknowledged (签收) → in_progress → submitted → closed (办结)
 *                                                  ↘ returned (退办) → submitted …
 *   any open state → cancelled; closed/cancelled → assigned (reopen)
 *
 * "Overdue" is not a state: it is derived from the deadline of a task that is still open.
 */
export const TASK_STATUSES = [
  'assigned',
  'acknowledged',
  'in_progress',
  'submitted',
  'returned',
  'closed',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export type TaskEvent =
  'acknowledge' | 'start' | 'submit' | 'approve' | 'return' | 'close' | 'cancel' | 'reopen';

export const STATUS_LABELS: Record<TaskStatus, string> = {
  assigned: '已交办',
  acknowledged: '已签收',
  in_progress: '办理中',
  submitted: '已报送',
  returned: '已退办',
  closed: '已办结',
  cancelled: '已撤销',
};

const EVENT_LABELS: Record<TaskEvent, string> = {
  acknowledge: '签收',
  start: '开始办理',
  submit: '报送进展',
  approve: '审核通过',
  return: '退回',
  close: '办结',
  cancel: '撤销',
  reopen: '重新打开',
};

const TRANSITIONS: Record<TaskEvent, Partial<Record<TaskStatus, TaskStatus>>> = {
  acknowledge: { assigned: 'acknowledged' },
  start: { assigned: 'in_progress', acknowledged: 'in_progress', returned: 'in_progress' },
  submit: {
    assigned: 'submitted',
    acknowledged: 'submitted',
    in_progress: 'submitted',
    returned: 'submitted',
  },
  approve: { submitted: 'closed' },
  return: { submitted: 'returned' },
  close: {
    assigned: 'closed',
    acknowledged: 'closed',
    in_progress: 'closed',
    submitted: 'closed',
    returned: 'closed',
  },
  cancel: {
    assigned: 'cancelled',
    acknowledged: 'cancelled',
    in_progress: 'cancelled',
    submitted: 'cancelled',
    returned: 'cancelled',
  },
  reopen: { closed: 'assigned', cancelled: 'assigned' },
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly current: TaskStatus,
    readonly event: TaskEvent,
  ) {
    super(`任务当前状态为“${STATUS_LABELS[current]}”，不能${EVENT_LABELS[event]}`);
    this.name = 'IllegalTransitionError';
  }
}

export function nextStatus(current: TaskStatus, event: TaskEvent): TaskStatus {
  const next = TRANSITIONS[event][current];
  if (!next) throw new IllegalTransitionError(current, event);
  return next;
}

export function canTransition(current: TaskStatus, event: TaskEvent): boolean {
  return TRANSITIONS[event][current] !== undefined;
}

/** Work is still expected of the unit: reminders and escalations apply. */
export function awaitsUnit(status: TaskStatus): boolean {
  return (
    status === 'assigned' ||
    status === 'acknowledged' ||
    status === 'in_progress' ||
    status === 'returned'
  );
}

/** Not finished (closed) or withdrawn (cancelled). */
export function isOpen(status: TaskStatus): boolean {
  return status !== 'closed' && status !== 'cancelled';
}

export function isOverdue(status: TaskStatus, dueAt: Date, now: Date): boolean {
  return isOpen(status) && dueAt.getTime() < now.getTime();
}

/** SQL list of the statuses in which reminders go out. */
export const AWAITING_UNIT_SQL = `('assigned', 'acknowledged', 'in_progress', 'returned')`;
export const OPEN_SQL = `('assigned', 'acknowledged', 'in_progress', 'submitted', 'returned')`;
