import { describe, it, expect } from '@jest/globals';
import { suggestMilestones } from '../../src/plan-document/index.js';

/* Suggested milestones: the measures an item lists, each dated by its own words or spread. */

const brief = (body: string, due: string, options = {}) =>
  suggestMilestones(body, due, 2025, options).map((s) => [s.index, s.title, s.dueDate, s.source]);

describe('suggested milestones', () => {
  it('splits "一是…二是…三是…" and dates each by its own words, else between its neighbours', () => {
    expect(
      brief(
        '重点做好以下工作：一是3月底前制定实施方案；二是组织开展专题培训；三是第三季度完成中期评估；四是总结推广典型经验。',
        '2025-12-31',
      ),
    ).toEqual([
      [1, '3月底前制定实施方案', '2025-03-31', 'stated'],
      [2, '组织开展专题培训', '2025-07-01', 'spread'],
      [3, '第三季度完成中期评估', '2025-09-30', 'stated'],
      [4, '总结推广典型经验', '2025-12-31', 'spread'],
    ]);
  });

  it('splits numbered sub-points and "；" clauses, and spreads undated ones evenly up to the deadline', () => {
    expect(brief('1.完善制度。2.开展警示教育。3.组织专项检查。', '2025-12-31')).toEqual([
      [1, '完善制度', '2025-05-02', 'spread'],
      [2, '开展警示教育', '2025-09-01', 'spread'],
      [3, '组织专项检查', '2025-12-31', 'spread'],
    ]);
    expect(brief('修订招生办法；开展招生宣传；9月开学前完成新生报到。', '2025-10-31')).toEqual([
      [1, '修订招生办法', '2025-03-23', 'spread'],
      [2, '开展招生宣传', '2025-06-11', 'spread'],
      [3, '9月开学前完成新生报到', '2025-08-31', 'stated'],
    ]);
  });

  it('starts from the given day, moves spread dates to working days and keeps dates within the item', () => {
    const previousWeekday = (date: string): string => {
      const d = new Date(`${date}T00:00:00Z`);
      while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() - 1);
      return d.toISOString().slice(0, 10);
    };
    expect(
      brief('一是2月底前摸清底数；二是制定方案；三是年底前全面完成。', '2025-10-31', {
        from: '2025-06-01',
        adjust: previousWeekday,
      }),
    ).toEqual([
      // Stated dates already past fall on the first allowed day; later ones on the deadline.
      [1, '2月底前摸清底数', '2025-06-01', 'stated'],
      [2, '制定方案', '2025-08-15', 'spread'],
      [3, '年底前全面完成', '2025-10-31', 'stated'],
    ]);
  });

  it('suggests nothing for a body of one undated measure, and leaves notes out', () => {
    expect(brief('开展专题培训。分管局领导：张明。', '2025-12-31')).toEqual([]);
    expect(brief('', '2025-12-31')).toEqual([]);
    expect(brief('6月底前开展专题培训。分管局领导：张明。', '2025-12-31')).toEqual([
      [1, '6月底前开展专题培训', '2025-06-30', 'stated'],
    ]);
  });

  it('gives the same suggestions for the same input', () => {
    const body = '一是全面摸底调查；二是制定方案并报批；三是组织实施；四是总结评估。';
    expect(suggestMilestones(body, '2025-11-30', 2025)).toEqual(
      suggestMilestones(body, '2025-11-30', 2025),
    );
    expect(suggestMilestones(body, '2025-11-30', 2025, { limit: 2 })).toHaveLength(2);
  });
});
