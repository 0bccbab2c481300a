import { describe, it, expect, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  PlanParseError,
  type ParsedItem,
  type ParsedPlan,
  parsePlanText,
} from '../../src/plan-document/index.js';

const SEED = resolve('seeds/hongkou-2022-work-plan.txt');

describe('parsePlanText on the 虹口区教育局2022年工作要点 seed', () => {
  let plan: ParsedPlan;
  let items: ParsedItem[];
  const item = (n: number): ParsedItem => items.find((i) => i.number === n)!;

  beforeAll(() => {
    plan = parsePlanText(readFileSync(SEED, 'utf8'));
    items = plan.sections.flatMap((s) => s.items);
  });

  it('reads title, doc number, issuer, issue date and year from the header', () => {
    expect(plan.plan).toEqual({
      title: '虹口区教育局2022年工作要点',
      docNumber: '虹教〔2022〕1号',
      issuer: '上海市虹口区教育局',
      issuedOn: '2022-03-15',
      year: 2022,
    });
  });

  it('finds 7 sections, the first one under a heading without "一、"', () => {
    expect(plan.sections.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(plan.sections.map((s) => s.title)).toEqual([
      '落实立德树人根本任务，促进学生全面健康发展',
      '强化教育改革创新，增强教育发展活力',
      '聚焦教育内涵建设，推动教育整体高质量发展',
      '聚焦重点民生实事，提升教育服务能力和水平',
      '深化人事管理制度改革，打造高水平教育人才队伍',
      '完善教育资源合理配置，提升教育服务保障水平',
      '提升教育依法治理能力，加快推进教育治理现代化',
    ]);
    expect(plan.sections[0].items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('finds the 36 items numbered 1..36 in order, including "21、"', () => {
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 36 }, (_, k) => k + 1));
    expect(item(21).title).toBe('推进民心工程和实事项目');
  });

  it('splits item 1 into its first sentence, the rest, and its four units', () => {
    const first = item(1);
    expect(first.title).toBe('坚持用习近平新时代中国特色社会主义思想铸魂育人');
    expect(
      first.body.startsWith('坚持把学习贯彻落实习近平新时代中国特色社会主义思想作为首要政治任务'),
    ).toBe(true);
    expect(first.body.endsWith('推进习近平新时代中国特色社会主义思想进教材进课堂进头脑。')).toBe(
      true,
    );
    expect(first.body).not.toContain('责任科室');
    expect(first.units).toEqual(['宣传科', '组织科', '德育', '教育学院']);
    expect(first.allUnits).toBe(false);
  });

  it('gives items 9 and 13 ("各科室、各部门") to every unit and to no named unit', () => {
    for (const n of [9, 13]) {
      expect(item(n).allUnits).toBe(true);
      expect(item(n).units).toEqual([]);
    }
    expect(items.filter((i) => i.allUnits).map((i) => i.number)).toEqual([9, 13]);
  });

  it('lists the 23 distinct named units in order of first appearance', () => {
    expect(plan.units).toEqual([
      '宣传科',
      '组织科',
      '德育',
      '教育学院',
      '小幼教科',
      '中教科',
      '成职教科',
      '未保中心',
      '体卫科艺科',
      '校外联',
      '事务中心',
      '青少年活动中心',
      '人事科',
      '计财科',
      '信息中心',
      '南湖职院',
      '社区学院',
      '监察室',
      '办公室',
      '人才中心',
      '督导室',
      '内审',
      '语委办',
    ]);
    expect(plan.units).not.toContain('各科室');
    expect(plan.units).not.toContain('各部门');
  });

  it('dates item 21 by its "年内" and takes no deadline from "2022年中考" or "逐年降低"', () => {
    expect(item(21).deadlineHints).toEqual([{ text: '年内', date: '2022-12-31' }]);
    expect(item(11).deadlineHints).toEqual([]);
    expect(item(6).deadlineHints).toEqual([]);
    expect(items.filter((i) => i.deadlineHints.length > 0).map((i) => i.number)).toEqual([21]);
  });

  it('has no warnings', () => {
    expect(plan.warnings).toEqual([]);
  });

  it('serialises to exactly the plan:parse --json shape of the architecture notes', () => {
    const json = JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['plan', 'sections', 'units', 'warnings']);
    expect(Object.keys(json.plan as object)).toEqual([
      'title',
      'docNumber',
      'issuer',
      'issuedOn',
      'year',
    ]);
    const section = (json.sections as Record<string, unknown>[])[0];
    expect(Object.keys(section)).toEqual(['ordinal', 'title', 'items']);
    expect(Object.keys((section.items as object[])[0])).toEqual([
      'number',
      'title',
      'body',
      'units',
      'allUnits',
      'deadlineHints',
    ]);
    expect(Object.keys(item(21).deadlineHints[0])).toEqual(['text', 'date']);
  });

  it('never fails on a damaged copy of the seed other than with PlanParseError', () => {
    const text = readFileSync(SEED, 'utf8');
    const pieces = ['（', '）', '。', '\n', '1.', '一、', '（一）', '责任科室：', '各', '《', ' '];
    let state = 7;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let round = 0; round < 200; round++) {
      let damaged = text;
      for (let edit = 0; edit < 1 + random(15); edit++) {
        const at = random(damaged.length + 1);
        damaged =
          random(2) === 0
            ? damaged.slice(0, at) + pieces[random(pieces.length)] + damaged.slice(at)
            : damaged.slice(0, at) + damaged.slice(at + random(300));
      }
      try {
        const parsed = parsePlanText(damaged);
        expect(parsed.sections.length).toBeGreaterThan(0);
      } catch (error) {
        expect(error).toBeInstanceOf(PlanParseError);
      }
    }
  });
});
