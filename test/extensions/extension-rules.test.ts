import { describe, expect, it } from '@jest/globals';
import {
  checkDecision,
  checkRequest,
  composeDecisionMail,
  describeDeadline,
  type TaskDeadline,
} from '../../src/extensions/extension-rules.js';

const TZ = 'Asia/Shanghai';
// 2026-06-30 23:59:59 in Shanghai.
const task: TaskDeadline = {
  status: 'in_progress',
  dueDate: '2026-06-30',
  dueAt: new Date('2026-06-30T15:59:59Z'),
};
const before = new Date('2026-06-01T02:00:00Z');

describe('checkRequest', () => {
  it('accepts a later date while the task is open and not yet due', () => {
    expect(checkRequest(task, '2026-07-31', before, TZ)).toBeNull();
    expect(checkRequest({ ...task, status: 'submitted' }, '2026-07-01', before, TZ)).toBeNull();
  });

  it('refuses once the deadline instant has passed, naming the deadline', () => {
    const atDeadline = checkRequest(task, '2026-07-31', task.dueAt, TZ);
    expect(atDeadline).toMatchObject({ kind: 'conflict' });
    expect(atDeadline && atDeadline.message).toContain('2026-06-30');
    expect(atDeadline && atDeadline.message).toContain('截止后不能再申请延期');
  });

  it('refuses finished or withdrawn tasks with their status', () => {
    expect(checkRequest({ ...task, status: 'closed' }, '2026-07-31', before, TZ)).toMatchObject({
      kind: 'conflict',
      details: { currentStatus: 'closed' },
    });
    expect(checkRequest({ ...task, status: 'cancelled' }, '2026-07-31', before, TZ)).toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('已撤销'),
    });
  });

  it('names proposedDueDate for a date not later than the deadline, or not a date at all', () => {
    for (const date of ['2026-06-30', '2026-06-01', '2026-02-30', '2026/07/31', '']) {
      expect(checkRequest(task, date, before, TZ)).toMatchObject({
        kind: 'invalid',
        field: 'proposedDueDate',
      });
    }
  });
});

describe('checkDecision', () => {
  const pending = { status: 'pending' as const, proposedDueDate: '2026-07-31' };

  it('decides pending requests only, naming the current status', () => {
    expect(checkDecision(pending, 'approve', task, before, TZ)).toBeNull();
    expect(checkDecision(pending, 'reject', task, before, TZ)).toBeNull();
    expect(
      checkDecision({ ...pending, status: 'approved' }, 'reject', task, before, TZ),
    ).toMatchObject({ kind: 'conflict', details: { currentStatus: 'approved' } });
    expect(
      checkDecision({ ...pending, status: 'rejected' }, 'approve', task, before, TZ),
    ).toMatchObject({ kind: 'conflict', details: { currentStatus: 'rejected' } });
  });

  it('does not approve for a closed task, a deadline already moved past it, or a past date', () => {
    expect(
      checkDecision(pending, 'approve', { ...task, status: 'closed' }, before, TZ),
    ).toMatchObject({ kind: 'conflict' });
    expect(
      checkDecision(pending, 'approve', { ...task, dueDate: '2026-08-31' }, before, TZ),
    ).toMatchObject({ kind: 'conflict', message: expect.stringContaining('2026-08-31') });
    expect(
      checkDecision(pending, 'approve', task, new Date('2026-08-02T00:00:00Z'), TZ),
    ).toMatchObject({ kind: 'conflict', message: expect.stringContaining('已过') });
    // A rejection is always possible while pending.
    expect(checkDecision(pending, 'reject', { ...task, status: 'closed' }, before, TZ)).toBeNull();
  });
});

describe('describeDeadline', () => {
  it('shows the date alone at the end of a business day, else date and time', () => {
    expect(describeDeadline(task.dueAt, TZ)).toBe('2026-06-30');
    expect(describeDeadline(new Date('2026-06-30T10:30:00Z'), TZ)).toBe('2026-06-30 18:30');
  });
});

describe('composeDecisionMail', () => {
  const input = {
    planTitle: '某区教育局2026年工作要点',
    itemNumber: 7,
    itemTitle: '加强<i>校园</i>安全',
    unitName: '安全科',
    proposedDueDate: '2026-07-31',
    deadline: '2026-07-31',
    comment: '同意，请<script>x</script>按时完成',
    decidedBy: '督导室 张三',
  };

  it('tells the unit of an approval with the new deadline', () => {
    const mail = composeDecisionMail({ ...input, decision: 'approve' });
    expect(mail.subject).toBe(
      '【延期申请已批准】第7项“加强<i>校园</i>安全”截止日期延至 2026-07-31',
    );
    expect(mail.text).toContain('新的截止日期：2026-07-31');
    expect(mail.text).toContain('审批意见：同意，请<script>x</script>按时完成');
    expect(mail.html).toContain('同意，请&lt;script&gt;x&lt;/script&gt;按时完成');
    expect(mail.html).toContain('加强&lt;i&gt;校园&lt;/i&gt;安全');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<i>');
  });

  it('tells the unit of a rejection with the unchanged deadline', () => {
    const mail = composeDecisionMail({
      ...input,
      decision: 'reject',
      deadline: '2026-06-30',
      comment: '理由不充分',
    });
    expect(mail.subject).toBe(
      '【延期申请未获批准】第7项“加强<i>校园</i>安全”截止日期仍为 2026-06-30',
    );
    expect(mail.text).toContain('截止日期不变：2026-06-30');
    expect(mail.text).toContain('申请延至 2026-07-31');
    expect(mail.text).toContain('审批意见：理由不充分');
  });

  it('leaves out the comment line when there is none', () => {
    const mail = composeDecisionMail({ ...input, decision: 'approve', comment: null });
    expect(mail.text).not.toContain('审批意见');
    expect(mail.html).not.toContain('审批意见');
  });
});
