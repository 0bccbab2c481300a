import { describe, expect, it } from '@jest/globals';
import {
  checkTitle,
  composeMilestoneReminderMail,
  describeDeadline,
  resolveMilestoneDate,
} from '../../src/milestones/milestone-rules.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-06-15T04:00:00Z'); // 12:00 in Shanghai
const TASK = { dueDate: '2026-06-30', dueAt: new Date('2026-06-30T15:59:59Z') };

describe('milestone rules (pure)', () => {
  it('takes a date as the end of that business day, and an exact instant as given', () => {
    expect(resolveMilestoneDate({ dueDate: '2026-06-20' }, TASK, NOW, TZ)).toEqual({
      ok: true,
      value: { dueDate: '2026-06-20', dueAt: new Date('2026-06-20T15:59:59Z') },
    });
    expect(resolveMilestoneDate({ dueDate: '2026-06-15' }, TASK, NOW, TZ)).toMatchObject({
      ok: true,
      value: { dueDate: '2026-06-15' },
    });
    expect(resolveMilestoneDate({ dueAt: '2026-06-21T00:30:00+08:00' }, TASK, NOW, TZ)).toEqual({
      ok: true,
      value: { dueDate: '2026-06-21', dueAt: new Date('2026-06-20T16:30:00Z') },
    });
  });

  it('lets a milestone fall on the task’s deadline, but never after it', () => {
    expect(resolveMilestoneDate({ dueDate: '2026-06-30' }, TASK, NOW, TZ)).toEqual({
      ok: true,
      value: { dueDate: '2026-06-30', dueAt: TASK.dueAt },
    });
    // A task due at 10:30 on its last day: a milestone on that day falls due with it.
    const morning = { dueDate: '2026-06-30', dueAt: new Date('2026-06-30T02:30:00Z') };
    expect(resolveMilestoneDate({ dueDate: '2026-06-30' }, morning, NOW, TZ)).toEqual({
      ok: true,
      value: { dueDate: '2026-06-30', dueAt: morning.dueAt },
    });
  });

  it.each<[string, { dueDate?: string; dueAt?: string }, string, string]>([
    ['a past date', { dueDate: '2026-06-14' }, 'dueDate', '已过'],
    [
      'a date after the task deadline',
      { dueDate: '2026-07-01' },
      'dueDate',
      '不能晚于任务截止时间 2026-06-30',
    ],
    ['an impossible date', { dueDate: '2026-02-30' }, 'dueDate', '不是有效日期'],
    ['a date in another format', { dueDate: '30/06/2026' }, 'dueDate', '不是有效日期'],
    ['a past instant', { dueAt: '2026-06-15T11:59:00+08:00' }, 'dueAt', '已过'],
    [
      'an instant after the task deadline',
      { dueAt: '2026-07-01T00:00:00+08:00' },
      'dueAt',
      '不能晚于任务截止时间',
    ],
    ['an instant without an offset', { dueAt: '2026-06-20T10:00:00' }, 'dueAt', '带时区'],
    [
      'both a date and an instant',
      { dueDate: '2026-06-20', dueAt: '2026-06-20T10:00:00Z' },
      'dueAt',
      '二选一',
    ],
    ['neither', {}, 'dueDate', 'dueDate'],
  ])('refuses %s, naming the field', (_name, input, field, text) => {
    const result = resolveMilestoneDate(input, TASK, NOW, TZ);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.field).toBe(field);
    expect(result.refusal.message).toContain(text);
  });

  it('refuses any date once the task’s own deadline has passed', () => {
    const past = { dueDate: '2022-12-30', dueAt: new Date('2022-12-30T15:59:59Z') };
    const result = resolveMilestoneDate({ dueDate: '2026-06-20' }, past, NOW, TZ);
    expect(result).toMatchObject({ ok: false, refusal: { field: 'dueDate' } });
  });

  it('trims a title and keeps it between 1 and 200 characters', () => {
    expect(checkTitle('  完成调研报告 ')).toEqual({ ok: true, value: '完成调研报告' });
    expect(checkTitle('   ')).toMatchObject({ ok: false, refusal: { field: 'title' } });
    expect(checkTitle('节'.repeat(200)).ok).toBe(true);
    const long = checkTitle('节'.repeat(201));
    expect(long).toMatchObject({ ok: false, refusal: { field: 'title' } });
    if (!long.ok) expect(long.refusal.message).toContain('200');
  });

  it('shows a deadline as a date at the end of a day, else with its time', () => {
    expect(describeDeadline(new Date('2026-06-20T15:59:59Z'), TZ)).toBe('2026-06-20');
    expect(describeDeadline(new Date('2026-06-20T02:30:00Z'), TZ)).toBe('2026-06-20 10:30');
    expect(describeDeadline(new Date('2026-06-20T02:30:07Z'), TZ)).toBe('2026-06-20 10:30:07');
  });

  it('writes a Chinese mail naming the item, the milestone and its deadline, escaped in HTML', () => {
    const mail = composeMilestoneReminderMail({
      planTitle: '虹口区教育局2022年工作要点',
      itemNumber: 36,
      itemTitle: '扎实做好信访工作',
      unitName: '办公室',
      milestoneTitle: '完成<script>alert(1)</script>排查',
      deadline: '2026-06-20',
      taskDeadline: '2026-06-30',
      offset: { kind: 'workdays', workdays: -1 },
    });
    expect(mail.subject).toBe(
      '【节点提醒】第36项节点“完成<script>alert(1)</script>排查”将于 2026-06-20 到期（距节点还有 1 个工作日）',
    );
    expect(mail.text).toContain('办公室：');
    expect(mail.text).toContain('任务截止时间：2026-06-30');
    expect(mail.html).toContain('完成&lt;script&gt;alert(1)&lt;/script&gt;排查');
    expect(mail.html).not.toContain('<script>');
    const soon = composeMilestoneReminderMail({
      planTitle: 'p',
      itemNumber: 1,
      itemTitle: 'i',
      unitName: 'u',
      milestoneTitle: 'm',
      deadline: 'd',
      taskDeadline: 't',
      offset: { kind: 'exact', milliseconds: -3000 },
    });
    expect(soon.subject).toContain('距节点不足 1 分钟');
    const late = composeMilestoneReminderMail({
      planTitle: 'p',
      itemNumber: 1,
      itemTitle: 'i',
      unitName: 'u',
      milestoneTitle: 'm',
      deadline: 'd',
      taskDeadline: 't',
      offset: { kind: 'workdays', workdays: 2 },
    });
    expect(late.subject).toContain('已逾期 2 个工作日');
  });
});
