import { describe, it, expect } from '@jest/globals';
import {
  PlanParseError,
  type ParsedItem,
  type ParsedPlan,
  parsePlanText,
} from '../../src/plan-document/index.js';

const doc = (...lines: string[]): string => lines.join('\n');
const itemsOf = (plan: ParsedPlan): ParsedItem[] => plan.sections.flatMap((s) => s.items);
const unitsByNumber = (plan: ParsedPlan): Record<number, string[]> =>
  Object.fromEntries(itemsOf(plan).map((i) => [i.number, i.units]));

describe('responsible units', () => {
  it('reads half-width "(责任科室:…)" with commas and slashes', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设',
        '1.加强政治建设。推进理论学习。(责任科室:组织科,宣传科)',
        '2.推进宣传工作。(责任部门: 宣传科/办公室)',
      ),
    );
    expect(unitsByNumber(plan)).toEqual({ 1: ['组织科', '宣传科'], 2: ['宣传科', '办公室'] });
    expect(itemsOf(plan)[0].body).toBe('推进理论学习。');
    expect(plan.units).toEqual(['组织科', '宣传科', '办公室']);
    expect(plan.warnings).toEqual([]);
  });

  it('puts the lead unit of "牵头单位…；配合单位…" first, then the co-units', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、教育质量',
        '1.推进学前教育普及普惠。新增公办幼儿园2所。（牵头单位：小幼教科；配合单位：事务中心、计财科）',
        '2.推进义务教育优质均衡。（责任单位：中教科、小幼教科）',
        '3.做好考试招生工作。（牵头部门：中教科，配合部门：招生办；完成时限：6月底前）',
      ),
    );
    expect(unitsByNumber(plan)).toEqual({
      1: ['小幼教科', '事务中心', '计财科'],
      2: ['中教科', '小幼教科'],
      3: ['中教科', '招生办'],
    });
    const third = itemsOf(plan)[2];
    expect(third.title).toBe('做好考试招生工作');
    expect(third.body).toBe('');
    expect(third.deadlineHints).toEqual([{ text: '6月底前', date: '2023-06-30' }]);
  });

  it('attaches a unit line without brackets to the item before it', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设',
        '1.加强政治建设。推进理论学习。',
        '责任单位：组织科、宣传科。',
        '2.推进清廉学校建设。',
        '（责任科室：监察室）',
      ),
    );
    expect(unitsByNumber(plan)).toEqual({ 1: ['组织科', '宣传科'], 2: ['监察室'] });
    expect(itemsOf(plan)[0].body).toBe('推进理论学习。');
    expect(plan.warnings).toEqual([]);
  });

  it('marks "局各科室"/"各直属单位" as every unit and keeps the named ones', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '1.全面实施“十四五”规划。（责任科室：局各科室）',
        '2.做好安全稳定工作。（责任单位：办公室、各直属单位）',
      ),
    );
    const [first, second] = itemsOf(plan);
    expect(first).toMatchObject({ units: [], allUnits: true });
    expect(second).toMatchObject({ units: ['办公室'], allUnits: true });
    expect(plan.units).toEqual(['办公室']);
    expect(plan.warnings).toEqual([]);
  });

  it('gives an item without units the units of its heading', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设（责任科室：组织科）',
        '1.加强政治建设。',
        '2.推进清廉学校建设。（责任科室：监察室）',
        '二、提高教育质量',
        '责任单位：中教科、小幼教科',
        '3.推进课程改革。',
      ),
    );
    expect(unitsByNumber(plan)).toEqual({
      1: ['组织科'],
      2: ['监察室'],
      3: ['中教科', '小幼教科'],
    });
    expect(plan.sections.map((s) => s.title)).toEqual(['加强党的建设', '提高教育质量']);
    expect(plan.warnings).toEqual([]);
  });
});

describe('numbering shapes', () => {
  it('takes items numbered "1、" and keeps sections in order', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设',
        '1、加强政治建设。（责任科室：组织科）',
        '2、推进清廉学校建设。（责任科室：监察室）',
        '二、提高教育质量',
        '3、推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(plan.sections.map((s) => [s.ordinal, s.title, s.items.map((i) => i.number)])).toEqual([
      [1, '加强党的建设', [1, 2]],
      [2, '提高教育质量', [3]],
    ]);
    expect(itemsOf(plan).map((i) => i.title)).toEqual([
      '加强政治建设',
      '推进清廉学校建设',
      '推进课程改革',
    ]);
  });

  it('reads three levels 一、/（一）/1.: the "1." entries carrying units are the items', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、坚持党建引领',
        '（一）加强政治建设',
        '1.深入学习党的二十大精神。开展专题培训。（责任科室：组织科、宣传科）',
        '2.推进基层党组织建设。（责任科室：组织科）',
        '（二）加强作风建设（责任科室：监察室）',
        '3.开展作风专项整治。',
        '4.落实“一岗双责”。',
        '二、提高教育质量',
        '（三）深化课程改革',
        '5.推进新课程新教材实施。（责任科室：中教科、教育学院）',
      ),
    );
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => i.number)])).toEqual([
      ['坚持党建引领', [1, 2, 3, 4]],
      ['提高教育质量', [5]],
    ]);
    expect(unitsByNumber(plan)).toEqual({
      1: ['组织科', '宣传科'],
      2: ['组织科'],
      3: ['监察室'],
      4: ['监察室'],
      5: ['中教科', '教育学院'],
    });
    expect(itemsOf(plan)[0]).toMatchObject({
      title: '深入学习党的二十大精神',
      body: '开展专题培训。',
    });
    expect(plan.warnings).toEqual([]);
  });

  it('reads two levels 一、/（一） where the （一） entries are the items, numbered per section', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、坚持党建引领',
        '（一）加强政治建设。深入学习党的二十大精神。（牵头单位：组织科；配合单位：宣传科）',
        '（二）加强作风建设。开展作风专项整治。（责任单位：监察室）',
        '二、提高教育质量',
        '（一）推进学前教育普及普惠。年内新增公办幼儿园2所。（责任单位：小幼教科）',
        '（二）深化课程改革。（责任单位：中教科）',
        '（三）做好考试招生工作。（责任单位：中教科、招生办）',
      ),
    );
    expect(
      plan.sections.map((s) => [s.title, s.items.map((i) => `${i.number} ${i.title}`)]),
    ).toEqual([
      ['坚持党建引领', ['1 加强政治建设', '2 加强作风建设']],
      ['提高教育质量', ['1 推进学前教育普及普惠', '2 深化课程改革', '3 做好考试招生工作']],
    ]);
    expect(plan.sections[0].items[0].units).toEqual(['组织科', '宣传科']);
    expect(plan.sections[1].items[0].deadlineHints).toEqual([{ text: '年内', date: '2023-12-31' }]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads （一） items whose "1." lines are sub-points, with units after the last one', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、坚持党建引领',
        '（一）加强政治建设',
        '1.深入学习党的二十大精神。',
        '2.开展全员培训。',
        '责任单位：组织科、宣传科',
        '（二）加强作风建设',
        '1.开展作风专项整治。',
        '2.落实“一岗双责”。（责任单位：监察室）',
      ),
    );
    const items = itemsOf(plan);
    expect(items.map((i) => [i.number, i.title, i.units])).toEqual([
      [1, '加强政治建设', ['组织科', '宣传科']],
      [2, '加强作风建设', ['监察室']],
    ]);
    expect(items[0].body).toBe('1.深入学习党的二十大精神。2.开展全员培训。');
    expect(plan.warnings).toEqual([]);
  });

  it('uses （一） entries as sections when there is no "一、" level', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '（一）加强政治建设',
        '1.深入学习。（责任科室：组织科）',
        '（二）提高教育质量',
        '2.推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => i.number)])).toEqual([
      ['加强政治建设', [1]],
      ['提高教育质量', [2]],
    ]);
  });

  it('accepts "第一部分" headings and "1)" / "1．" item numbers', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '第一部分 加强党的建设',
        '1)加强政治建设。（责任科室：组织科）',
        '第二部分 提高教育质量',
        '2．推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => i.title)])).toEqual([
      ['加强党的建设', ['加强政治建设']],
      ['提高教育质量', ['推进课程改革']],
    ]);
  });

  it('puts items before any heading into an untitled section', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '1.加强政治建设。（责任科室：组织科）',
        '2.推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(plan.sections).toHaveLength(1);
    expect(plan.sections[0]).toMatchObject({ ordinal: 1, title: null });
    expect(plan.sections[0].items.map((i) => i.number)).toEqual([1, 2]);
  });

  it('does not take an introductory line ending in "：" for a heading', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '现将主要工作安排如下：',
        '1.加强政治建设。（责任科室：组织科）',
      ),
    );
    expect(plan.sections.map((s) => s.title)).toEqual([null]);
  });

  it('recognises a heading without numeral between items', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '坚持党建引领',
        '1.加强政治建设。（责任科室：组织科）',
        '提高教育质量',
        '2.推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(plan.sections.map((s) => [s.ordinal, s.title, s.items.map((i) => i.number)])).toEqual([
      [1, '坚持党建引领', [1]],
      [2, '提高教育质量', [2]],
    ]);
  });
});

describe('item text', () => {
  it('joins continuation lines and (1)/① sub-points into the item body', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、提高教育质量',
        '1.推进课程改革。重点做好以下工作：',
        '（1）推进新课程新教材实施；',
        '①开展专题教研。',
        '2.5亿元专项经费用于课程建设。（责任科室：中教科）',
        '2.做好考试招生工作。（责任科室：中教科）',
      ),
    );
    const items = itemsOf(plan);
    expect(items.map((i) => i.number)).toEqual([1, 2]);
    expect(items[0].body).toBe(
      '重点做好以下工作：（1）推进新课程新教材实施；①开展专题教研。2.5亿元专项经费用于课程建设。',
    );
    expect(items[0].units).toEqual(['中教科']);
    expect(plan.warnings).toEqual([]);
  });

  it('joins a hard-wrapped item, even when the unit note is broken across lines', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、提高教育质量',
        '1.推进课程改革。深化新课程新教材实施，开展跨学科',
        '综合性教学。（责任科室：中教科、教育',
        '学院）',
        '2.做好考试招生工作。（责任科室：中教科）',
      ),
    );
    const first = itemsOf(plan)[0];
    expect(first).toMatchObject({
      title: '推进课程改革',
      body: '深化新课程新教材实施，开展跨学科综合性教学。',
      units: ['中教科', '教育学院'],
    });
    expect(plan.sections).toHaveLength(1);
  });

  it('takes a short first line without full stop as the title of a multi-line item', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、坚持党建引领',
        '（一）加强政治建设',
        '深入学习党的二十大精神，开展全员培训，推动理论学习走深走实。（责任单位：组织科）',
      ),
    );
    expect(itemsOf(plan)[0]).toMatchObject({
      number: 1,
      title: '加强政治建设',
      body: '深入学习党的二十大精神，开展全员培训，推动理论学习走深走实。',
    });
  });

  it('does not take "2022年…" or "2.5亿元…" at a line start for items', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '2023年是全面贯彻党的二十大精神的开局之年。',
        '一、提高教育质量',
        '1.加大教育投入。',
        '2.5亿元用于校舍改造。（责任科室：计财科）',
      ),
    );
    expect(itemsOf(plan).map((i) => [i.number, i.body])).toEqual([[1, '2.5亿元用于校舍改造。']]);
  });
});

describe('header', () => {
  it('reads a Chinese-numeral issue date, a 【】 doc number and the issuer from the signature', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局文件',
        '北教【2023】12号',
        '北城区教育局关于印发《北城区教育局2023年工作要点》的通知',
        '各中小学、幼儿园：',
        '现将《北城区教育局2023年工作要点》印发给你们，请认真贯彻执行。',
        '北城区教育局',
        '二〇二三年二月二十日',
        '北城区教育局2023年工作要点',
        '1.加强政治建设。（责任科室：组织科）',
      ),
    );
    expect(plan.plan).toEqual({
      title: '北城区教育局2023年工作要点',
      docNumber: '北教【2023】12号',
      issuer: '北城区教育局',
      issuedOn: '2023-02-20',
      year: 2023,
    });
    expect(plan.sections[0].items).toHaveLength(1);
    expect(plan.warnings).toEqual([]);
  });

  it('falls back to the 《》 name of the notice and the "…文件" header', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局文件',
        '北教(2024)3号',
        '关于印发《北城区教育局2024年工作要点》的通知',
        '1.加强政治建设。（责任科室：组织科）',
      ),
    );
    expect(plan.plan).toEqual({
      title: '北城区教育局2024年工作要点',
      docNumber: '北教(2024)3号',
      issuer: '北城区教育局',
      issuedOn: null,
      year: 2024,
    });
  });

  it('reads a signature and date at the end of the document without warnings', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '1.加强政治建设。（责任科室：组织科）',
        '',
        '北城区教育局',
        '2023年2月20日',
        '- 3 -',
      ),
    );
    expect(plan.plan.issuer).toBe('北城区教育局');
    expect(plan.plan.issuedOn).toBe('2023-02-20');
    expect(plan.warnings).toEqual([]);
  });

  it('leaves what the document does not say null, and takes the year from the doc number', () => {
    const plan = parsePlanText(
      doc('北教〔2025〕1号', '1.加强政治建设。年内完成。（责任科室：组织科）'),
    );
    expect(plan.plan).toEqual({
      title: null,
      docNumber: '北教〔2025〕1号',
      issuer: null,
      issuedOn: null,
      year: 2025,
    });
    expect(itemsOf(plan)[0].deadlineHints).toEqual([{ text: '年内', date: '2025-12-31' }]);
  });
});

describe('warnings', () => {
  it('warns, with line numbers, about missing units, broken numbering and stray lines', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点', // 1
        '一、加强党的建设', // 2
        '1.加强政治建设。（责任科室：组织科）', // 3
        '2.推进清廉学校建设。', // 4
        '4.推进课程改革。（责任科室：中教科）', // 5
        '4.做好招生工作。（责任科室：中教科）', // 6
        '二、保障措施', // 7
        '各单位要高度重视，认真抓好落实。', // 8
      ),
    );
    expect(plan.warnings).toEqual([
      { line: 4, message: '第2项未写明责任单位' },
      { line: 5, message: '条目编号不连续：第2项之后是第4项' },
      { line: 6, message: '条目编号重复：第4项出现了两次' },
      // The prose of an ignored section is not warned about line by line.
      { line: 7, message: '“保障措施”下没有工作要点条目，该部分已忽略' },
    ]);
    expect(plan.sections.map((s) => s.title)).toEqual(['加强党的建设']);
  });

  it('warns about text under a heading that belongs to no item', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点', // 1
        '一、加强党的建设', // 2
        '1.加强政治建设。（责任科室：组织科）', // 3
        '二、提高教育质量', // 4
        '各单位要高度重视。', // 5
        '2.推进课程改革。（责任科室：中教科）', // 6
      ),
    );
    expect(plan.warnings).toEqual([
      { line: 5, message: '无法归入任何条目的内容，已忽略：“各单位要高度重视。”' },
    ]);
  });

  it('warns about a unit line that follows no item', () => {
    const plan = parsePlanText(
      doc('北城区教育局2023年工作要点', '责任单位：组织科', '1.加强政治建设。（责任科室：组织科）'),
    );
    expect(plan.warnings).toEqual([
      { line: 2, message: '责任单位没有对应的条目，已忽略：“责任单位：组织科”' },
    ]);
  });

  it('ignores the preamble before the first item', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '2023年是全面贯彻党的二十大精神的开局之年。',
        '全区教育系统要坚持稳中求进。',
        '一、加强党的建设',
        '1.加强政治建设。（责任科室：组织科）',
      ),
    );
    expect(plan.warnings).toEqual([]);
  });
});

describe('documents that are not plans', () => {
  it.each([
    [
      'a meeting notice',
      doc(
        '关于召开期末工作会议的通知',
        '各科室：',
        '定于6月28日召开期末工作会议。',
        '北城区教育局办公室',
      ),
    ],
    [
      'headings without items',
      doc(
        '北城区教育局2023年工作要点',
        '一、总体要求',
        '坚持稳中求进。',
        '二、主要任务',
        '推进教育高质量发展。',
      ),
    ],
    ['an empty text', ''],
  ])('rejects %s: no item was found', (_, text) => {
    expect(() => parsePlanText(text)).toThrow(PlanParseError);
    expect(() => parsePlanText(text)).toThrow(
      '未识别出任何工作要点条目（如“1.”编号的条目），不是工作要点文档',
    );
  });
});
