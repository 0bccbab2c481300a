import { describe, expect, it } from '@jest/globals';
import {
  checkDecision,
  composeDecisionMail,
  excerpt,
  meaningfulComment,
  type DecisionMailInput,
} from '../../src/submissions/submission-rules.js';

describe('deciding a progress report', () => {
  it('allows a decision only on the latest report still awaiting review', () => {
    expect(checkDecision({ status: 'submitted', number: 2 }, 2, 'approve')).toBeNull();
    expect(checkDecision({ status: 'submitted', number: 1 }, 1, 'return')).toBeNull();
  });

  it('refuses a report already decided, naming its status', () => {
    const approved = checkDecision({ status: 'approved', number: 1 }, 1, 'approve');
    expect(approved).toEqual({
      message: '该进展报告已通过，不能再审核通过',
      details: { currentStatus: 'approved' },
    });
    const returned = checkDecision({ status: 'returned', number: 1 }, 2, 'approve');
    expect(returned?.details).toEqual({ currentStatus: 'returned' });
    expect(returned?.message).toContain('已退回');
  });

  it('refuses an older report that a newer one has replaced', () => {
    const refusal = checkDecision({ status: 'submitted', number: 1 }, 3, 'approve');
    expect(refusal?.details).toEqual({ currentStatus: 'submitted', latestNumber: 3 });
    expect(refusal?.message).toContain('最新为第 3 次');
  });

  it('counts a comment only when it says something', () => {
    expect(meaningfulComment(undefined)).toBeNull();
    expect(meaningfulComment(' \n\t ')).toBeNull();
    expect(meaningfulComment(' 请补充数据 ')).toBe(' 请补充数据 ');
  });

  it('cuts long text at whole characters', () => {
    expect(excerpt('进展'.repeat(10), 5)).toBe('进展进展进…');
    expect(excerpt('短', 5)).toBe('短');
    expect(excerpt('😀😀😀', 2)).toBe('😀😀…');
  });
});

describe('decision mail', () => {
  const input: DecisionMailInput = {
    decision: 'return',
    planTitle: '虹口区教育局2022年工作要点',
    itemNumber: 7,
    itemTitle: '<b>加强</b>宣传工作',
    unitName: '宣传科',
    submissionNumber: 2,
    submittedAt: '2026-05-06 10:30',
    body: '<script>alert(1)</script>已完成 80%',
    comment: '请补充<img src=x onerror=alert(2)>数据 & 图表',
    decidedBy: '督导室 "王"',
  };

  it('tells the unit a report was returned, with the comment, in subject, text and HTML', () => {
    const mail = composeDecisionMail(input);
    expect(mail.subject).toBe('【进展报告被退回】第7项“<b>加强</b>宣传工作”请修改后重新报送');
    expect(mail.text).toContain('请补充<img src=x onerror=alert(2)>数据 & 图表');
    expect(mail.text).toContain('第 2 次报送（2026-05-06 10:30）');
    expect(mail.text).toContain('<script>alert(1)</script>已完成 80%');
    expect(mail.html).toContain('请补充&lt;img src=x onerror=alert(2)&gt;数据 &amp; 图表');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;已完成 80%');
    expect(mail.html).toContain('&lt;b&gt;加强&lt;/b&gt;宣传工作');
    expect(mail.html).toContain('督导室 &quot;王&quot;');
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
  });

  it('tells the unit a report was approved, without an empty comment block', () => {
    const mail = composeDecisionMail({ ...input, decision: 'approve', comment: null });
    expect(mail.subject).toBe('【进展报告已通过】第7项“<b>加强</b>宣传工作”已办结');
    expect(mail.text).toContain('已审核通过，任务办结');
    expect(mail.text).not.toContain('审核意见');
    expect(mail.html).not.toContain('审核意见');
  });

  it('quotes only the beginning of a long report', () => {
    const mail = composeDecisionMail({ ...input, body: '长'.repeat(5000) });
    expect(mail.text).toContain(`${'长'.repeat(300)}…`);
    expect(mail.text).not.toContain('长'.repeat(301));
  });
});
