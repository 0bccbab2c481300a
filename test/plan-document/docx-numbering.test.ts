import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  parsePlanDocument,
  readPlanDocument,
  parsePlanText,
} from '../../src/plan-document/index.js';
import {
  abstractNum,
  bulletLvl,
  lvl,
  num,
  numberedDocx,
  numberingXml,
  p,
  style,
  stylesXml,
} from './numbered-docx.js';

const SMALL_PLAN_TEXT = readFileSync(resolve('test/fixtures/plans/small-plan.txt'), 'utf8');

/** Section headings "一、" (numId 1) and items "1." (numId 2, one list across the document). */
const PLAN_NUMBERING = numberingXml(
  abstractNum(0, lvl(0, 'chineseCounting', '%1、')),
  abstractNum(1, lvl(0, 'decimal', '%1.')),
  num(1, 0),
  num(2, 1),
);

const nonBlank = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('.docx with Word automatic numbering', () => {
  it('reads headings numbered 一、 and items numbered 1. continuing across sections like the typed plan', async () => {
    // The typed plan with its numbers taken out of the text and given to Word's numbering.
    const body = SMALL_PLAN_TEXT.split('\n')
      .slice(0, -1)
      .map((line) => {
        const text = line.replace(/^[\u3000 ]+/, '');
        const heading = /^[一二三四五六七八九十]+、(.*)$/.exec(text);
        if (heading) return p(heading[1], { numId: 1, ilvl: 0 });
        const item = /^\d+\.(.*?)(（责任科室：.*）)$/.exec(text);
        if (item) return p([item[1], item[2]], { numId: 2, ilvl: 0 });
        return text === '' ? '<w:p/>' : p(text);
      })
      .join('');
    expect(body).not.toMatch(/>(?:[一二]、|\d\.)/);
    const docx = await numberedDocx({ body, numbering: PLAN_NUMBERING });

    const text = await readPlanDocument('plan.docx', docx);
    expect(nonBlank(text).slice(4, 10)).toEqual([
      '一、\t加强党的建设',
      '1.\t深入学习宣传贯彻党的二十大精神。组织全系统开展专题学习，6月底前完成干部教师全员轮训。（责任科室：组织科、宣传科）',
      '2.\t推进清廉学校建设。完善廉政风险防控机制，开展警示教育。（责任科室：监察室、组织科）',
      '二、\t提高教育质量',
      '3.\t推进学前教育普及普惠。年内新增公办幼儿园2所，第三季度完成托班扩容。（责任科室：小幼教科、事务中心）',
      '4.\t做好中考招生工作。落实名额分配综合评价录取政策。（责任科室：中教科）',
    ]);
    const plan = await parsePlanDocument('plan.docx', docx);
    expect(plan).toEqual(parsePlanText(SMALL_PLAN_TEXT));
    expect(plan.sections.map((s) => s.title)).toEqual(['加强党的建设', '提高教育质量']);
    expect(plan.sections.flatMap((s) => s.items.map((i) => i.number))).toEqual([1, 2, 3, 4]);
    expect(plan.units).toEqual(['组织科', '宣传科', '监察室', '小幼教科', '事务中心', '中教科']);
  });

  it('reads three-level numbering 一、/（一）/1. from one list, restarting the lower levels', async () => {
    const numbering = numberingXml(
      abstractNum(
        0,
        lvl(0, 'chineseCounting', '%1、'),
        lvl(1, 'chineseCounting', '（%2）', { suffix: 'nothing' }),
        lvl(2, 'decimal', '%3.', { suffix: 'space' }),
      ),
      num(1, 0),
    );
    const body = [
      p('东湖区教育局2024年工作要点'),
      p('加强党的建设', { numId: 1, ilvl: 0 }),
      p('强化理论武装', { numId: 1, ilvl: 1 }),
      p('开展主题教育。分批次组织学习。（责任科室：组织科）', { numId: 1, ilvl: 2 }),
      p('抓好理论学习中心组学习。（责任科室：宣传科）', { numId: 1, ilvl: 2 }),
      p('推进清廉学校建设', { numId: 1, ilvl: 1 }),
      p('完善廉政风险防控机制。（责任科室：监察室）', { numId: 1, ilvl: 2 }),
      p('提高教育质量', { numId: 1, ilvl: 0 }),
      p('发展学前教育', { numId: 1, ilvl: 1 }),
      p('新增公办幼儿园2所。（责任科室：小幼教科）', { numId: 1, ilvl: 2 }),
      p('东湖区教育局'),
      p('2024年2月26日'),
    ].join('');
    const docx = await numberedDocx({ body, numbering });

    expect(nonBlank(await readPlanDocument('plan.docx', docx))).toEqual([
      '东湖区教育局2024年工作要点',
      '一、\t加强党的建设',
      '（一）强化理论武装',
      '1. 开展主题教育。分批次组织学习。（责任科室：组织科）',
      '2. 抓好理论学习中心组学习。（责任科室：宣传科）',
      '（二）推进清廉学校建设',
      '1. 完善廉政风险防控机制。（责任科室：监察室）',
      '二、\t提高教育质量',
      '（一）发展学前教育',
      '1. 新增公办幼儿园2所。（责任科室：小幼教科）',
      '东湖区教育局',
      '2024年2月26日',
    ]);
    const plan = await parsePlanDocument('plan.docx', docx);
    expect(plan.plan).toMatchObject({
      title: '东湖区教育局2024年工作要点',
      issuedOn: '2024-02-26',
    });
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => [i.number, i.title])])).toEqual([
      [
        '加强党的建设',
        [
          [1, '开展主题教育'],
          [2, '抓好理论学习中心组学习'],
          [1, '完善廉政风险防控机制'],
        ],
      ],
      ['提高教育质量', [[1, '新增公办幼儿园2所']]],
    ]);
    expect(plan.units).toEqual(['组织科', '宣传科', '监察室', '小幼教科']);
    expect(plan.warnings).toEqual([]);
  });

  it('takes the numbering of a paragraph from its style and the styles that style is based on', async () => {
    const styles = stylesXml(
      style('1', 'heading 1', { numId: 1 }),
      style('PlanSection', '要点一级标题', { basedOn: '1' }),
      style('PlanItem', '要点条目', { numId: 2, ilvl: 0 }),
      style('PlanItemText', '要点正文', { basedOn: 'PlanItem' }),
    );
    const body = [
      p('西山区教育局2025年工作要点'),
      p('全面从严治党', { style: 'PlanSection' }),
      p('落实党建工作责任制。（责任科室：组织科）', { style: 'PlanItem' }),
      // numId 0 switches the style's numbering off for this paragraph.
      p('各支部按季度报送党建工作情况。', { style: 'PlanItem', numId: 0 }),
      p('深化教育改革', { style: 'PlanSection' }),
      p('推进集团化办学。（责任科室：基教科）', { style: 'PlanItemText' }),
    ].join('');
    const docx = await numberedDocx({ body, numbering: PLAN_NUMBERING, styles });

    expect(nonBlank(await readPlanDocument('plan.docx', docx))).toEqual([
      '西山区教育局2025年工作要点',
      '一、\t全面从严治党',
      '1.\t落实党建工作责任制。（责任科室：组织科）',
      '各支部按季度报送党建工作情况。',
      '二、\t深化教育改革',
      '2.\t推进集团化办学。（责任科室：基教科）',
    ]);
    const plan = await parsePlanDocument('plan.docx', docx);
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => [i.number, i.units])])).toEqual([
      ['全面从严治党', [[1, ['组织科']]]],
      ['深化教育改革', [[2, ['基教科']]]],
    ]);
    expect(plan.sections[0].items[0].body).toBe('各支部按季度报送党建工作情况。');
  });

  it('restarts item numbers where a list instance has a w:startOverride', async () => {
    // Word's "restart at 1": a new w:num of the same abstract definition with a start override.
    const numbering = numberingXml(
      abstractNum(0, lvl(0, 'chineseCounting', '%1、')),
      abstractNum(1, lvl(0, 'decimal', '%1.')),
      num(1, 0),
      num(2, 1),
      num(3, 1, { 0: 1 }),
      num(4, 1, { 0: 5 }),
    );
    const body = [
      p('南江区教育局2025年工作要点'),
      p('加强党的建设', { numId: 1 }),
      p('深入学习贯彻党的二十大精神。（责任科室：组织科）', { numId: 2 }),
      p('推进清廉学校建设。（责任科室：监察室）', { numId: 2 }),
      p('提高教育质量', { numId: 1 }),
      p('推进学前教育普及普惠。（责任科室：小幼教科）', { numId: 3 }),
      p('做好中考招生工作。（责任科室：中教科）', { numId: 3 }),
      p('落实“双减”。（责任科室：基教科）', { numId: 3 }),
      p('保障与服务', { numId: 1 }),
      p('完成校舍维修。（责任科室：事务中心）', { numId: 4 }),
      p('做好安全管理。（责任科室：安全科）', { numId: 4 }),
    ].join('');
    const docx = await numberedDocx({ body, numbering });

    const plan = await parsePlanDocument('plan.docx', docx);
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => i.number)])).toEqual([
      ['加强党的建设', [1, 2]],
      ['提高教育质量', [1, 2, 3]],
      ['保障与服务', [5, 6]],
    ]);
    // The parser flags the jump to 5, as it would in a typed plan.
    expect(plan.warnings.map((w) => w.message)).toEqual(['条目编号不连续：第3项之后是第5项']);
  });

  it('gives bulleted paragraphs no number and does not count them', async () => {
    const numbering = numberingXml(
      abstractNum(0, lvl(0, 'chineseCounting', '%1、')),
      abstractNum(1, lvl(0, 'decimal', '%1.'), bulletLvl(1)),
      abstractNum(2, bulletLvl(0)),
      num(1, 0),
      num(2, 1),
      num(3, 2),
    );
    const body = [
      p('北塘区教育局2025年工作要点'),
      p('加强队伍建设', { numId: 1 }),
      p('实施教师培训计划。重点做好以下工作：', { numId: 2 }),
      p('新教师入职培训；', { numId: 3 }),
      p('骨干教师研修。', { numId: 2, ilvl: 1 }),
      p('（责任科室：人事科）'),
      p('推进校长职级制改革。（责任科室：人事科、组织科）', { numId: 2 }),
    ].join('');
    const docx = await numberedDocx({ body, numbering });

    expect(nonBlank(await readPlanDocument('plan.docx', docx))).toEqual([
      '北塘区教育局2025年工作要点',
      '一、\t加强队伍建设',
      '1.\t实施教师培训计划。重点做好以下工作：',
      '新教师入职培训；',
      '骨干教师研修。',
      '（责任科室：人事科）',
      '2.\t推进校长职级制改革。（责任科室：人事科、组织科）',
    ]);
    const plan = await parsePlanDocument('plan.docx', docx);
    expect(plan.sections[0].items.map((i) => [i.number, i.title, i.body, i.units])).toEqual([
      [1, '实施教师培训计划', '重点做好以下工作：新教师入职培训；骨干教师研修。', ['人事科']],
      [2, '推进校长职级制改革', '', ['人事科', '组织科']],
    ]);
    expect(plan.warnings).toEqual([]);
  });
});
