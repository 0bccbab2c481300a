import { describe, expect, it } from '@jest/globals';
import {
  composeNudgeMail,
  NUDGE_INTERVAL_MS,
  nudgeWaitMs,
  waitMessage,
} from '../../src/nudges/nudge-rules.js';

describe('nudge rate limit', () => {
  const last = new Date('2026-06-01T02:00:00Z');

  it('allows a first nudge, and another once ten minutes have passed', () => {
    expect(NUDGE_INTERVAL_MS).toBe(10 * 60 * 1000);
    expect(nudgeWaitMs(null, last)).toBe(0);
    expect(nudgeWaitMs(last, new Date(last.getTime() + NUDGE_INTERVAL_MS))).toBe(0);
  });

  it('says how long to wait inside the window, in whole minutes', () => {
    const wait = nudgeWaitMs(last, new Date(last.getTime() + 60_000));
    expect(wait).toBe(9 * 60_000);
    expect(waitMessage(wait)).toBe('该任务 10 分钟内已催办过，请 9 分钟后再试');
    expect(waitMessage(1000)).toBe('该任务 10 分钟内已催办过，请 1 分钟后再试');
  });
});

describe('composeNudgeMail', () => {
  const input = {
    planTitle: '某区教育局2026年工作要点',
    itemNumber: 3,
    itemTitle: '加强<i>心理</i>健康教育',
    unitName: '德育',
    role: 'lead' as const,
    status: 'in_progress' as const,
    deadline: '2026-06-30',
    overdue: true,
    note: '请于本周内报送，<b>急</b>',
    nudgedBy: '督导室 李四',
  };

  it('names the item, the deadline, its state and the note, escaped in HTML only', () => {
    const mail = composeNudgeMail(input);
    expect(mail.subject).toBe(
      '【催办】第3项“加强<i>心理</i>健康教育”请抓紧办理（截止 2026-06-30，已逾期）',
    );
    expect(mail.text).toContain('截止时间：2026-06-30（已逾期）');
    expect(mail.text).toContain('当前状态：办理中');
    expect(mail.text).toContain('督导室留言：请于本周内报送，<b>急</b>');
    expect(mail.text).toContain('贵单位牵头');
    expect(mail.html).toContain('请于本周内报送，&lt;b&gt;急&lt;/b&gt;');
    expect(mail.html).toContain('加强&lt;i&gt;心理&lt;/i&gt;健康教育');
    expect(mail.html).not.toContain('<b>急</b>');
  });

  it('leaves out the note when there is none, and says when the task is not yet due', () => {
    const mail = composeNudgeMail({ ...input, note: null, overdue: false, role: 'co' });
    expect(mail.subject).toBe(
      '【催办】第3项“加强<i>心理</i>健康教育”请抓紧办理（截止 2026-06-30）',
    );
    expect(mail.text).toContain('（尚未到期）');
    expect(mail.text).toContain('贵单位配合');
    expect(mail.text).not.toContain('督导室留言');
  });
});
