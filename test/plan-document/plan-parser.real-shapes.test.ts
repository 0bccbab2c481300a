import { describe, it, expect } from '@jest/globals';
import {
  parsePlanDocument,
  type ParsedItem,
  type ParsedPlan,
  parsePlanText,
} from '../../src/plan-document/index.js';
import { abstractNum, lvl, num, numberedDocx, numberingXml, p } from './numbered-docx.js';

/*
 * Shapes of 年度工作要点 seen in real documents: numbering depth that changes from branch to
 * branch, notices without a "…文件" header, "一是" headings, short unit labels, unit notes in
 * other places, "（1）" and "第一条" items, task tables.
 */

const doc = (...lines: string[]): string => lines.join('\n');
const itemsOf = (plan: ParsedPlan): ParsedItem[] => plan.sections.flatMap((s) => s.items);
const outline = (plan: ParsedPlan): [string | null, string[]][] =>
  plan.sections.map((s) => [s.title, s.items.map((i) => `${i.number} ${i.title}`)]);

describe('numbering depth decided branch by branch', () => {
  const MIXED = doc(
    'XX区教育局2023年工作要点', // 1
    '2023年是全面贯彻落实党的二十大精神的开局之年。区教育局将坚持稳中求进工作总基调。', // 2
    '一、坚持党建引领，全面加强党对教育工作的领导', // 3
    '（一）深入学习贯彻党的二十大精神。把学习宣传贯彻党的二十大精神作为首要政治任务，3月底前完成专题培训。（牵头科室：组织科；配合科室：宣传科、各党组织）', // 4
    '（二）加强干部队伍建设。完善干部选拔任用机制。（责任科室：组织科）', // 5
    '二、推进教育高质量发展', // 6
    '（一）推进学前教育普惠发展。新建幼儿园3所，第三季度完成验收。（责任科室：基教科、计财科）', // 7
    '（二）推进义务教育优质均衡。', // 8
    '1.实施强校工程。（责任科室：基教科）', // 9
    '2.深化集团化办学，上半年出台方案。（责任科室：基教科、教研室）', // 10
    '三、保障措施', // 11
    '各科室要高度重视，抓好落实。', // 12
  );

  it('takes （一） entries as items where they carry the units, and as headings where their 1. entries do', () => {
    const plan = parsePlanText(MIXED);
    expect(outline(plan)).toEqual([
      [
        '坚持党建引领，全面加强党对教育工作的领导',
        ['1 深入学习贯彻党的二十大精神', '2 加强干部队伍建设'],
      ],
      [
        '推进教育高质量发展',
        ['1 推进学前教育普惠发展', '1 实施强校工程', '2 深化集团化办学，上半年出台方案'],
      ],
    ]);
    expect(itemsOf(plan)).toHaveLength(5);
    const [first, second, third, fourth, fifth] = itemsOf(plan);
    expect(first).toEqual({
      number: 1,
      title: '深入学习贯彻党的二十大精神',
      body: '把学习宣传贯彻党的二十大精神作为首要政治任务，3月底前完成专题培训。',
      units: ['组织科', '宣传科'],
      allUnits: true,
      deadlineHints: [{ text: '3月底前', date: '2023-03-31' }],
    });
    expect(second).toMatchObject({ units: ['组织科'], allUnits: false });
    expect(third).toMatchObject({
      units: ['基教科', '计财科'],
      deadlineHints: [{ text: '第三季度', date: '2023-09-30' }],
    });
    expect(fourth).toMatchObject({ body: '', units: ['基教科'] });
    expect(fifth.deadlineHints).toEqual([{ text: '上半年', date: '2023-06-30' }]);
    expect(plan.units).toEqual(['组织科', '宣传科', '基教科', '计财科', '教研室']);
  });

  it('ignores a closing "保障措施" section of prose with one warning and no error', () => {
    const plan = parsePlanText(MIXED);
    expect(plan.warnings).toEqual([
      { line: 11, message: '“保障措施”下没有工作要点条目，该部分已忽略' },
    ]);
  });

  it('keeps the sub-points of an item whose units follow them, next to headings over items', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、坚持党建引领',
        '（一）加强政治建设',
        '1.深入学习党的二十大精神。',
        '2.开展全员培训。',
        '责任单位：组织科、宣传科',
        '（二）加强作风建设',
        '1.开展作风专项整治。（责任单位：监察室）',
        '2.落实“一岗双责”。（责任单位：组织科）',
        '（三）推进清廉学校建设。重点做好以下工作：',
        '1.完善制度。',
        '2.开展警示教育。（责任单位：监察室）',
      ),
    );
    expect(outline(plan)).toEqual([
      [
        '坚持党建引领',
        ['1 加强政治建设', '1 开展作风专项整治', '2 落实“一岗双责”', '3 推进清廉学校建设'],
      ],
    ]);
    const items = itemsOf(plan);
    expect(items[0]).toMatchObject({
      body: '1.深入学习党的二十大精神。2.开展全员培训。',
      units: ['组织科', '宣传科'],
    });
    expect(items[3]).toMatchObject({
      body: '重点做好以下工作：1.完善制度。2.开展警示教育。',
      units: ['监察室'],
    });
    expect(plan.warnings).toEqual([]);
  });

  it('lets a branch that does not tell follow the other branches', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、提高教育质量',
        '（一）深化课程改革',
        '1.推进新课程新教材实施。（责任科室：中教科）',
        '2.推进作业改革。（责任科室：教研室）',
        '（二）做好考试招生',
        '1.完善中考招生办法。',
        '2.做好招生宣传。（责任科室：招生办）',
      ),
    );
    // Items under (二) are items too; the first one lacks its units.
    expect(itemsOf(plan).map((i) => [i.number, i.units])).toEqual([
      [1, ['中教科']],
      [2, ['教研室']],
      [1, []],
      [2, ['招生办']],
    ]);
    expect(plan.warnings).toEqual([{ line: 7, message: '第1项未写明责任单位' }]);
  });

  it('reads a unit line after the last "1." as that item\'s own where every item has one', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点', // 1
        '一、提高教育质量', // 2
        '（一）深化课程改革', // 3
        '1.推进新课程新教材实施。', // 4
        '责任单位：中教科', // 5
        '2.推进作业改革。', // 6
        '责任单位：教研室', // 7
        '（二）做好考试招生', // 8
        '1.完善中考招生办法。', // 9
        '2.做好招生宣传。', // 10
        '责任单位：招生办', // 11
      ),
    );
    expect(outline(plan)).toEqual([
      [
        '提高教育质量',
        ['1 推进新课程新教材实施', '2 推进作业改革', '1 完善中考招生办法', '2 做好招生宣传'],
      ],
    ]);
    expect(plan.warnings).toEqual([{ line: 9, message: '第1项未写明责任单位' }]);
  });

  it('makes a "一、" entry without sub-entries but with units a section of one item', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设',
        '1.加强政治建设。（责任科室：组织科）',
        '二、做好其他工作',
        '完成上级交办的其他工作。（责任单位：各科室）',
      ),
    );
    expect(plan.sections.map((s) => s.title)).toEqual(['加强党的建设', '做好其他工作']);
    expect(plan.sections[1].items).toEqual([
      {
        number: 1,
        title: '做好其他工作',
        body: '完成上级交办的其他工作。',
        units: [],
        allUnits: true,
        deadlineHints: [],
      },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('skips "总体要求" and "保障措施" sections whose （一） paragraphs name no unit', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点', // 1
        '一、总体要求', // 2
        '（一）指导思想。坚持以习近平新时代中国特色社会主义思想为指导。', // 3
        '（二）工作目标。推动教育高质量发展。', // 4
        '二、重点任务', // 5
        '（一）加强政治建设。开展专题学习。（责任科室：组织科）', // 6
        '（二）深化课程改革。（责任科室：中教科）', // 7
        '三、保障措施', // 8
        '（一）加强组织领导。各科室要高度重视。', // 9
        '（二）强化督查考核。督导室要加强督查。', // 10
      ),
    );
    expect(outline(plan)).toEqual([['重点任务', ['1 加强政治建设', '2 深化课程改革']]]);
    expect(plan.warnings).toEqual([
      { line: 8, message: '“保障措施”下没有工作要点条目，该部分已忽略' },
    ]);
  });
});

describe('header', () => {
  it('takes the issuer from the signature of a notice without "…文件" header', () => {
    const plan = parsePlanText(
      doc(
        '关于印发《YY市教育局2024年工作要点》的通知',
        '各区教育局，局属各单位：',
        '现将《YY市教育局2024年工作要点》印发给你们，请认真贯彻落实。',
        'YY市教育局',
        '2024年2月20日',
        'YY市教育局2024年工作要点',
        '一、全面加强党的建设',
        '1. 强化政治引领。深入开展主题教育。',
        '责任单位：办公室、组织人事处',
        '2. 推进全面从严治党。落实“一岗双责”，年底前完成巡察整改。',
        '牵头单位：机关党委 配合单位：各处室',
      ),
    );
    expect(plan.plan).toEqual({
      title: 'YY市教育局2024年工作要点',
      docNumber: null,
      issuer: 'YY市教育局',
      issuedOn: '2024-02-20',
      year: 2024,
    });
    const [first, second] = itemsOf(plan);
    expect(first).toMatchObject({ title: '强化政治引领', units: ['办公室', '组织人事处'] });
    expect(second).toEqual({
      number: 2,
      title: '推进全面从严治党',
      body: '落实“一岗双责”，年底前完成巡察整改。',
      units: ['机关党委'],
      allUnits: true,
      deadlineHints: [{ text: '年底前', date: '2024-12-31' }],
    });
    expect(plan.warnings).toEqual([]);
  });

  it('takes the issuer from the title when nothing else names it', () => {
    const plan = parsePlanText(
      doc('南山区教育局2024年工作要点', '1.加强政治建设。（责任科室：组织科）'),
    );
    expect(plan.plan.issuer).toBe('南山区教育局');
  });
});

describe('"一是" headings and short unit labels', () => {
  it('reads "一是…" headings, "牵头：/配合：" labels and notes before the final 。', () => {
    const plan = parsePlanText(
      doc(
        'ZZ县教育体育局2025年工作要点',
        '一是抓好思想政治教育。',
        '1、加强思政课建设（牵头：德育科；配合：教研室）。',
        '2、开展主题教育活动（牵头：德育科）。',
        '二是推进教育改革。',
        '3、深化课程改革，6月30日前完成方案（牵头：教研室）。',
      ),
    );
    expect(outline(plan)).toEqual([
      ['抓好思想政治教育', ['1 加强思政课建设', '2 开展主题教育活动']],
      ['推进教育改革', ['3 深化课程改革，6月30日前完成方案']],
    ]);
    const items = itemsOf(plan);
    expect(items[0]).toMatchObject({ body: '', units: ['德育科', '教研室'] });
    expect(items[2]).toMatchObject({
      units: ['教研室'],
      deadlineHints: [{ text: '6月30日前', date: '2025-06-30' }],
    });
    expect(plan.plan.issuer).toBe('ZZ县教育体育局');
    expect(plan.warnings).toEqual([]);
  });

  it('reads 责任：/负责： labels and a note in the middle of a sentence', () => {
    const plan = parsePlanText(
      doc(
        'ZZ县教育体育局2025年工作要点',
        '一、教育改革',
        '1、深化课程改革（责任：教研室），年内完成方案。',
        '2、做好招生工作。负责：招生办、基教股',
      ),
    );
    expect(itemsOf(plan).map((i) => [i.title, i.body, i.units])).toEqual([
      ['深化课程改革，年内完成方案', '', ['教研室']],
      ['做好招生工作', '', ['招生办', '基教股']],
    ]);
  });

  it('keeps "一是…；二是…" lines inside an item as its text', () => {
    const plan = parsePlanText(
      doc(
        'ZZ县教育体育局2025年工作要点',
        '一、加强党的建设',
        '1、加强政治建设。重点抓好：',
        '一是加强理论学习；',
        '二是开展专题培训。（责任科室：组织科）',
        '2、推进清廉学校建设。（责任科室：监察室）',
      ),
    );
    expect(outline(plan)).toEqual([['加强党的建设', ['1 加强政治建设', '2 推进清廉学校建设']]]);
    expect(itemsOf(plan)[0]).toMatchObject({
      body: '重点抓好：一是加强理论学习；二是开展专题培训。',
      units: ['组织科'],
    });
  });

  it('does not take "压实主体责任：" for a unit label', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2023年工作要点',
        '一、加强党的建设',
        '1.全面从严治党。压实主体责任：落实“一岗双责”。（责任科室：组织科）',
      ),
    );
    expect(itemsOf(plan)[0]).toMatchObject({
      body: '压实主体责任：落实“一岗双责”。',
      units: ['组织科'],
    });
  });
});

describe('unit notes', () => {
  it('reads "【责任科室】A、B" and "责任科室：A、B" at the end of the item line', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2024年工作要点',
        '一、加强党的建设',
        '1.加强政治建设。推进理论学习。【责任科室】宣传科、组织科',
        '2.推进清廉学校建设。开展警示教育。责任科室：监察室、组织科',
        '3.加强机关作风建设。【责任科室：组织科】',
        '4.做好保密工作，落实保密责任制，责任科室：办公室',
      ),
    );
    expect(itemsOf(plan).map((i) => [i.title, i.body, i.units])).toEqual([
      ['加强政治建设', '推进理论学习。', ['宣传科', '组织科']],
      ['推进清廉学校建设', '开展警示教育。', ['监察室', '组织科']],
      ['加强机关作风建设', '', ['组织科']],
      ['做好保密工作，落实保密责任制', '', ['办公室']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('leaves out the leaders and people named next to the units', () => {
    const plan = parsePlanText(
      doc(
        '北城区教育局2024年工作要点',
        '一、加强党的建设',
        '1.加强意识形态工作。（责任领导：张三；责任科室：办公室）',
        '2.做好保密工作。（分管领导：李四，责任人：王五，牵头科室：办公室，配合科室：信息中心）',
        '3.做好信访工作。',
        '分管局领导：赵六 责任科室：信访办',
        '4.做好档案工作。（完成时限：6月底前）（责任科室：办公室）',
      ),
    );
    expect(itemsOf(plan).map((i) => [i.title, i.body, i.units])).toEqual([
      ['加强意识形态工作', '', ['办公室']],
      ['做好保密工作', '', ['办公室', '信息中心']],
      ['做好信访工作', '', ['信访办']],
      ['做好档案工作', '', ['办公室']],
    ]);
    expect(itemsOf(plan)[3].deadlineHints).toEqual([{ text: '6月底前', date: '2024-06-30' }]);
    expect(plan.units).not.toContain('张三');
    expect(plan.warnings).toEqual([]);
  });
});

describe('other item numbering', () => {
  it('takes "（1）" entries as items where no "1." level exists', () => {
    const plan = parsePlanText(
      doc(
        '东湖区教育局2024年工作要点',
        '一、加强党的建设',
        '（1）加强政治建设。推进理论学习。（责任科室：宣传科、组织科）',
        '（2）推进清廉学校建设。（责任科室：监察室）',
        '二、提高教育质量',
        '（1）推进课程改革。年内完成。（责任科室：中教科）',
      ),
    );
    expect(outline(plan)).toEqual([
      ['加强党的建设', ['1 加强政治建设', '2 推进清廉学校建设']],
      ['提高教育质量', ['1 推进课程改革']],
    ]);
    expect(itemsOf(plan)[2].deadlineHints).toEqual([{ text: '年内', date: '2024-12-31' }]);
    expect(plan.warnings).toEqual([]);
  });

  it('takes "（1）" items under a "（一）" heading in a plan that has "1." items elsewhere', () => {
    const plan = parsePlanText(
      doc(
        '东湖区教育局2024年工作要点',
        '一、加强党的建设',
        '1.加强政治建设。（责任科室：组织科）',
        '二、提高教育质量',
        '（一）推进课程改革',
        '（1）推进新课程新教材实施。6月底前完成培训。（责任科室：中教科）',
        '（2）深化教学评一体化改革。（责任科室：教研室）',
      ),
    );
    expect(outline(plan)).toEqual([
      ['加强党的建设', ['1 加强政治建设']],
      ['提高教育质量', ['1 推进新课程新教材实施', '2 深化教学评一体化改革']],
    ]);
  });

  it('reads full-width digits "１．" and "３、"', () => {
    const plan = parsePlanText(
      doc(
        '南湖区教育局２０２４年工作要点',
        '一、加强党的建设',
        '１．加强政治建设。推进理论学习。（责任科室：宣传科、组织科）',
        '２．推进清廉学校建设。（责任科室：监察室）',
        '二、提高教育质量',
        '３、推进课程改革。１０月底前完成。（责任科室：中教科）',
      ),
    );
    expect(plan.plan.year).toBe(2024);
    expect(itemsOf(plan).map((i) => i.number)).toEqual([1, 2, 3]);
    expect(itemsOf(plan)[2].deadlineHints).toEqual([{ text: '１０月底前', date: '2024-10-31' }]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads items numbered "第一条" under "第一章" headings', () => {
    const plan = parsePlanText(
      doc(
        '西湖区教育局2024年工作要点',
        '第一章 加强党的建设',
        '第一条 加强政治建设。推进理论学习。（责任科室：宣传科、组织科）',
        '第二条 推进清廉学校建设。（责任科室：监察室）',
        '第二章 提高教育质量',
        '第三条 推进课程改革。第三季度完成。（责任科室：中教科）',
      ),
    );
    expect(outline(plan)).toEqual([
      ['加强党的建设', ['1 加强政治建设', '2 推进清廉学校建设']],
      ['提高教育质量', ['3 推进课程改革']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads "第一条" items without headings', () => {
    const plan = parsePlanText(
      doc(
        '西湖区教育局2024年工作要点',
        '第一条　加强政治建设。（责任科室：组织科）',
        '第二条　推进课程改革。（责任科室：中教科）',
      ),
    );
    expect(outline(plan)).toEqual([[null, ['1 加强政治建设', '2 推进课程改革']]]);
  });
});

describe('task tables', () => {
  it('reads rows separated by tabs or wide spaces under a "序号 工作任务 责任单位 完成时限" line', () => {
    const plan = parsePlanText(
      doc(
        '北湖区教育局2024年工作要点', // 1
        '一、加强党的建设', // 2
        '序号 工作任务 责任单位 完成时限', // 3
        '1\t推进理论学习。开展专题培训。\t组织科、宣传科\t6月底前', // 4
        '2\t推进清廉学校建设\t监察室\t12月', // 5
        '二、提高教育质量', // 6
        '3  推进课程改革  中教科、教研室  2024年9月30日', // 7
        '4  做好招生工作  招生办', // 8
        '5 这一行读不出来', // 9
        '6\t深化评价改革\t各科室\t全年', // 10
        '7\t推进作业改革\t\t第三季度', // 11
      ),
    );
    expect(outline(plan)).toEqual([
      ['加强党的建设', ['1 推进理论学习', '2 推进清廉学校建设']],
      ['提高教育质量', ['3 推进课程改革', '4 做好招生工作', '6 深化评价改革', '7 推进作业改革']],
    ]);
    expect(itemsOf(plan).map((i) => [i.units, i.allUnits, i.deadlineHints])).toEqual([
      [['组织科', '宣传科'], false, [{ text: '6月底前', date: '2024-06-30' }]],
      [['监察室'], false, [{ text: '12月', date: '2024-12-31' }]],
      [['中教科', '教研室'], false, [{ text: '2024年9月30日', date: '2024-09-30' }]],
      [['招生办'], false, []],
      [[], true, [{ text: '全年', date: '2024-12-31' }]],
      [[], false, [{ text: '第三季度', date: '2024-09-30' }]],
    ]);
    expect(itemsOf(plan)[0].body).toBe('开展专题培训。');
    expect(plan.warnings).toEqual([
      { line: 9, message: '表格行无法识别，已忽略：“5 这一行读不出来”' },
      { line: 11, message: '第7项未写明责任单位' },
    ]);
  });

  it('reads lead and co-unit columns, and finds which cell is missing in a row of wide spaces', () => {
    const plan = parsePlanText(
      doc(
        '北湖区教育局2024年工作要点',
        '序号\t重点任务\t牵头单位\t配合单位\t完成时间\t备注',
        '1\t加强政治建设\t组织科\t宣传科、办公室\t6月\t',
        '2    推进课程改革    中教科    2024年10月',
      ),
    );
    expect(itemsOf(plan).map((i) => [i.title, i.units, i.deadlineHints])).toEqual([
      ['加强政治建设', ['组织科', '宣传科', '办公室'], [{ text: '6月', date: '2024-06-30' }]],
      ['推进课程改革', ['中教科'], [{ text: '2024年10月', date: '2024-10-31' }]],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('takes a line without numeral before a table for the heading of its rows', () => {
    const plan = parsePlanText(
      doc(
        '北湖区教育局2024年工作要点',
        '党的建设',
        '序号\t工作任务\t责任单位\t完成时限',
        '1\t推进理论学习\t组织科\t6月底前',
        '教育质量',
        '序号\t工作任务\t责任单位\t完成时限',
        '2\t推进课程改革\t中教科\t9月底前',
      ),
    );
    expect(outline(plan)).toEqual([
      ['党的建设', ['1 推进理论学习']],
      ['教育质量', ['2 推进课程改革']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a .docx table, one cell per line, with empty cells and a cell of two paragraphs', async () => {
    const cell = (...paragraphs: string[]): string =>
      `<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>${(paragraphs.length > 0 ? paragraphs : ['']).map((t) => (t === '' ? '<w:p/>' : p(t))).join('')}</w:tc>`;
    const row = (...cells: string[][]): string =>
      `<w:tr>${cells.map((c) => cell(...c)).join('')}</w:tr>`;
    const body =
      p('北湖区教育局2024年工作要点') +
      p('加强党的建设', { numId: 1, ilvl: 0 }) +
      '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>' +
      row(['序号'], ['工作任务'], ['责任单位'], ['完成时限']) +
      row(['1'], ['推进理论学习。', '开展专题培训。'], ['组织科、宣传科'], ['6月底前']) +
      row(['2'], ['推进清廉学校建设'], ['监察室'], []) +
      row(['3'], ['做好保密工作'], ['办公室'], ['12月']) +
      '</w:tbl>' +
      p('提高教育质量', { numId: 1, ilvl: 0 }) +
      p('推进课程改革。（责任科室：中教科）', { numId: 2, ilvl: 0 });
    const numbering = numberingXml(
      abstractNum(0, lvl(0, 'chineseCounting', '%1、')),
      abstractNum(1, lvl(0, 'decimal', '%1.', { start: 4 })),
      num(1, 0),
      num(2, 1),
    );
    const plan = await parsePlanDocument('plan.docx', await numberedDocx({ body, numbering }));
    expect(outline(plan)).toEqual([
      ['加强党的建设', ['1 推进理论学习', '2 推进清廉学校建设', '3 做好保密工作']],
      ['提高教育质量', ['4 推进课程改革']],
    ]);
    expect(itemsOf(plan).map((i) => [i.body, i.units, i.deadlineHints.map((h) => h.date)])).toEqual(
      [
        ['开展专题培训。', ['组织科', '宣传科'], ['2024-06-30']],
        ['', ['监察室'], []],
        ['', ['办公室'], ['2024-12-31']],
        ['', ['中教科'], []],
      ],
    );
    expect(plan.warnings).toEqual([]);
  });
});
