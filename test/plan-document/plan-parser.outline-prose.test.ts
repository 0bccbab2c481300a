import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  extractDeadlineHints,
  type ParsedPlan,
  parsePlanText,
} from '../../src/plan-document/index.js';

/*
 * Outlines whose units sit on the "（一）" level, units written in prose, and deadline wording
 * of the school year. Every fixture is checked item by item.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/plans/shapes/${name}`, import.meta.url), 'utf8');

/** [section, number, title, units, deadline hints "text=date"] per item. */
type Row = [string | null, number, string, string[], string[]];
const rows = (plan: ParsedPlan): Row[] =>
  plan.sections.flatMap((s) =>
    s.items.map((i): Row => [
      s.title,
      i.number,
      i.title,
      i.units,
      i.deadlineHints.map((h) => `${h.text}=${h.date}`),
    ]),
  );

describe('outlines with the units on the （一） level', () => {
  it('takes a （一） heading that carries the units as the item, its 1./2. lines as its body', () => {
    const plan = parsePlanText(fixture('outline-units-on-l2.txt'));
    expect(rows(plan)).toEqual([
      ['坚持党建引领', 1, '加强政治建设', ['组织科', '宣传科', '办公室'], ['6月底前=2025-06-30']],
      // A branch whose 1./2. lines carry the units keeps them as items.
      ['坚持党建引领', 1, '开展作风专项整治', ['监察室'], []],
      ['坚持党建引领', 2, '落实“一岗双责”', ['组织科'], []],
      ['提高教育质量', 1, '推进学前教育普惠发展', ['基教科'], ['秋季开学前=2025-08-31']],
      ['提高教育质量', 2, '深化课程改革', ['教研室', '基教科'], []],
      ['提高教育质量', 3, '做好考试招生工作', ['招生办', '中教科'], ['9月上旬=2025-09-10']],
    ]);
    const bodies = plan.sections.flatMap((s) => s.items.map((i) => i.body));
    expect(bodies[0]).toBe(
      '1.深入学习党的二十大精神，6月底前完成专题培训。2.健全理论学习中心组制度。',
    );
    expect(bodies[3]).toBe('1.新建幼儿园3所。2.秋季开学前完成普惠性幼儿园认定。');
    expect(bodies[5]).toBe('1.完善中考招生办法，9月上旬出台方案。2.做好招生宣传。');
    expect(plan.warnings).toEqual([]);
  });
});

describe('units in prose and school-year deadlines', () => {
  it('reads "由…牵头，…配合", "牵头单位为…", "由…负责" and the deadline wording of every item', () => {
    const plan = parsePlanText(fixture('prose-and-deadlines.txt'));
    expect(rows(plan)).toEqual([
      ['加强党的建设', 1, '推进理论学习', ['组织科', '宣传科', '办公室'], ['6月中旬前=2025-06-20']],
      ['加强党的建设', 2, '推进清廉学校建设', ['监察室', '组织科'], ['年底前=2025-12-31']],
      ['加强党的建设', 3, '开展师德师风建设', ['人事科'], ['学期末=2025-06-30']],
      ['提高教育质量', 4, '推进课后服务提质增效', ['基教科', '教研室'], ['暑假前=2025-06-30']],
      ['提高教育质量', 5, '完善寒假作业设计', ['教研室'], ['寒假前=2026-01-19']],
      // A labelled note wins over prose.
      ['提高教育质量', 6, '做好秋季招生', ['招生办', '基教科'], ['9月开学前=2025-08-31']],
      [
        '提高教育质量',
        7,
        '完成年度考核',
        ['人事科'],
        ['第四季度末前=2025-12-31', '2025年底=2025-12-31'],
      ],
      [
        '提高教育质量',
        8,
        '推进学校建设',
        ['基建科'],
        ['11月下旬=2025-11-30', '第三季度末=2025-09-30'],
      ],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('names no unit for prose that names people or no unit', () => {
    const plan = parsePlanText(
      [
        '北江区教育局2025年工作要点',
        '1.推进校园文化建设。由校长负责，各校落实。',
        '2.做好宣传。',
      ].join('\n'),
    );
    expect(plan.sections[0].items.map((i) => i.units)).toEqual([[], []]);
  });

  it.each([
    ['9月开学前', '2025-08-31'],
    ['2025年秋季开学前', '2025-08-31'],
    ['春季开学前', '2025-02-28'],
    ['寒假前', '2026-01-19'],
    ['放暑假前', '2025-06-30'],
    ['学期末', '2025-06-30'],
    ['秋季学期末', '2026-01-19'],
    ['10月上旬', '2025-10-10'],
    ['10月中旬', '2025-10-20'],
    ['2月下旬', '2025-02-28'],
    ['到2026年底', '2026-12-31'],
    ['年底前', '2025-12-31'],
    ['第一季度末', '2025-03-31'],
    ['三季度末', '2025-09-30'],
  ])('dates "%s" as %s', (wording, date) => {
    expect(extractDeadlineHints(`工作于${wording}完成`, 2025).map((h) => h.date)).toEqual([date]);
  });

  it('does not take "每学期末" for a deadline', () => {
    expect(extractDeadlineHints('每学期末开展一次评估', 2025)).toEqual([]);
  });

  it('dates term wording by the school calendar the caller gives', () => {
    const calendar = {
      springTermStart: '02-17',
      summerBreakStart: '07-05',
      autumnTermStart: '08-28',
      winterBreakStart: '01-24',
    };
    expect(
      extractDeadlineHints('9月开学前、春季开学前、暑假前、寒假前', 2025, calendar).map(
        (h) => h.date,
      ),
    ).toEqual(['2025-08-27', '2025-02-16', '2025-07-04', '2026-01-23']);
    expect(() =>
      parsePlanText('1.推进。（责任科室：办公室）', { schoolCalendar: { autumnTermStart: '9-1' } }),
    ).toThrow(RangeError);
  });
});
