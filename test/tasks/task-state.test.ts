import { describe, expect, it } from '@jest/globals';
import {
  awaitsUnit,
  canTransition,
  IllegalTransitionError,
  isOverdue,
  nextStatus,
  TASK_STATUSES,
  type TaskEvent,
  type TaskStatus,
} from '../../src/tasks/task-state.js';

const EVENTS: TaskEvent[] = [
  'acknowledge',
  'start',
  'submit',
  'approve',
  'return',
  'close',
  'cancel',
  'reopen',
];

// Every legal step, written out: anything not listed must be refused.
const LEGAL: Record<string, TaskStatus> = {
  'assigned acknowledge': 'acknowledged',
  'assigned start': 'in_progress',
  'acknowledged start': 'in_progress',
  'returned start': 'in_progress',
  'assigned submit': 'submitted',
  'acknowledged submit': 'submitted',
  'in_progress submit': 'submitted',
  'returned submit': 'submitted',
  'submitted approve': 'closed',
  'submitted return': 'returned',
  'assigned close': 'closed',
  'acknowledged close': 'closed',
  'in_progress close': 'closed',
  'submitted close': 'closed',
  'returned close': 'closed',
  'assigned cancel': 'cancelled',
  'acknowledged cancel': 'cancelled',
  'in_progress cancel': 'cancelled',
  'submitted cancel': 'cancelled',
  'returned cancel': 'cancelled',
  'closed reopen': 'assigned',
  'cancelled reopen': 'assigned',
};

describe('task lifecycle', () => {
  for (const status of TASK_STATUSES) {
    for (const event of EVENTS) {
      const expected = LEGAL[`${status} ${event}`];
      it(`${status} --${event}--> ${expected ?? 'refused'}`, () => {
        if (expected) {
          expect(nextStatus(status, event)).toBe(expected);
          expect(canTransition(status, event)).toBe(true);
        } else {
          expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
          expect(canTransition(status, event)).toBe(false);
        }
      });
    }
  }

  it('names the current status in Chinese when a step is refused', () => {
    expect(() => nextStatus('closed', 'approve')).toThrow('任务当前状态为“已办结”，不能审核通过');
  });

  it('reminds the unit only while the task waits for it', () => {
    expect(TASK_STATUSES.filter(awaitsUnit)).toEqual([
      'assigned',
      'acknowledged',
      'in_progress',
      'returned',
    ]);
  });

  it('derives overdue from the deadline of an open task', () => {
    const due = new Date('2026-06-30T10:00:00Z');
    const after = new Date('2026-06-30T10:00:01Z');
    expect(isOverdue('in_progress', due, after)).toBe(true);
    expect(isOverdue('submitted', due, after)).toBe(true);
    expect(isOverdue('closed', due, after)).toBe(false);
    expect(isOverdue('cancelled', due, after)).toBe(false);
    expect(isOverdue('assigned', due, new Date('2026-06-30T09:59:59Z'))).toBe(false);
  });
});
