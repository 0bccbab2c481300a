import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  parsePlanDocument,
  type ParsedPlan,
  parsePlanText,
} from '../../src/plan-document/index.js';
import { numberedDocx, p } from './numbered-docx.js';

/*
 * Task tables (任务分解表) as bureaus write them: the family of column names, a category column,
 * notes columns, rows separated by tabs, wide spaces or "|", one cell per line, ragged rows,
 * headers repeated on every page. Every fixture is checked item by item.
 */

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/plans/shapes/${name}`, import.meta.url), 'utf8');

/** [section, number, title, units (+ "*" for every unit), deadline dates] per item. */
type Row = [string | null, number, string, string[], string[]];
const rows = (plan: ParsedPlan): Row[] =>
  plan.sections.flatMap((s) =>
    s.items.map((i): Row => [
      s.title,
      i.number,
      i.title,
      i.allUnits ? [...i.units, '*'] : i.units,
      i.deadlineHints.map((h) => h.date),
    ]),
  );
const bodies = (plan: ParsedPlan): string[] =>
  plan.sections.flatMap((s) => s.items.map((i) => i.body));

describe('task tables with the column names bureaus use', () => {
  it('reads "序号 重点工作任务 主要责任单位 协同配合单位 完成时限" with tabs, and skipped numbers quietly', () => {
    const plan = parsePlanText(fixture('table-tabs.txt'));
    expect(plan.plan).toMatchObject({ title: '南江区教育局2025年重点工作任务分解表', year: 2025 });
    expect(rows(plan)).toEqual([
      [null, 1, '深入学习贯彻党的二十大精神', ['组织科', '宣传科', '*'], ['2025-06-30']],
      [null, 3, '推进清廉学校建设', ['监察室', '组织科'], ['2025-12-31']],
      [null, 4, '实施学前教育普惠提升工程', ['基教科', '计财科', '事务中心'], ['2025-08-31']],
      [null, 7, '完善中小学课后服务', ['基教科'], ['2025-06-30']],
    ]);
    // The "分管局领导" column is kept on the item.
    expect(bodies(plan)).toEqual([
      '开展专题培训。分管局领导：张明。',
      '分管局领导：李华。',
      '分管局领导：王强。',
      '分管局领导：王强。',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a header of single spaces over rows of wide spaces, with a missing co-unit cell', () => {
    const plan = parsePlanText(fixture('table-spaces.txt'));
    expect(rows(plan)).toEqual([
      [null, 1, '推进义务教育优质均衡发展', ['基教科', '督导室', '教研室'], ['2025-09-30']],
      [null, 2, '加强教师队伍建设', ['人事科'], ['2025-11-10']],
      [null, 5, '做好校园食品安全工作', ['后勤科', '卫生室'], ['2025-12-31']],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('makes categories sections, skips a repeated header, keeps an unknown column and a ragged row', () => {
    const plan = parsePlanText(fixture('table-categories.txt'));
    expect(rows(plan)).toEqual([
      ['党的建设', 1, '加强政治建设', ['组织科', '宣传科'], ['2025-03-31']],
      ['党的建设', 2, '推进清廉学校建设', ['监察室'], ['2025-06-30']],
      ['教育质量', 5, '推进课程改革', ['教研室', '基教科'], ['2025-09-20']],
      ['教育质量', 6, '深化评价改革', ['基教科', '教研室', '督导室'], ['2025-08-31']],
      ['教育质量', 8, '推进作业改革', ['基教科', '教研室'], ['2025-10-31']],
    ]);
    expect(bodies(plan)).toEqual([
      '考核方式：查阅资料。',
      '考核方式：现场检查。',
      '考核方式：听课。',
      '',
      '考核方式：抽查。',
    ]);
    expect(plan.warnings).toEqual([
      { line: 2, message: '表格表头中的“考核方式”列无法识别，该列内容已作为备注保留' },
      {
        line: 9,
        message: '表格行的单元格比表头的7列多，已按列的顺序读取，多出的“多余一格”已忽略',
      },
    ]);
  });

  it('reads rows written "| 2 | … |" under a "|---|" rule', () => {
    const plan = parsePlanText(fixture('table-pipes.txt'));
    expect(rows(plan)).toEqual([
      [null, 2, '推进校园安全标准化建设', ['安全科', '事务中心'], ['2025-06-10']],
      [null, 5, '做好招生入学工作', ['招生办', '基教科', '中教科'], ['2025-08-31']],
    ]);
    expect(bodies(plan)).toEqual(['开展隐患排查。', '']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a web copy of one cell per line ending in " |", the category only on the first row of its group', () => {
    const plan = parsePlanText(fixture('table-cell-lines.txt'));
    expect(rows(plan)).toEqual([
      ['党建引领', 1, '加强基层党组织建设', ['组织科', '*'], ['2025-12-31']],
      ['党建引领', 2, '开展师德师风专项教育', ['人事科'], ['2025-06-30']],
      ['教育质量', 4, '深化集团化办学', ['基教科', '中教科', '教研室'], ['2026-01-19']],
    ]);
    expect(bodies(plan)).toEqual([
      '分管领导：陈刚。',
      '分管领导：陈刚。',
      '组建新的教育集团。分管领导：林峰。',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a .docx table whose first column is the category, with merged category cells and a repeated header row', async () => {
    const cell = (...paragraphs: string[]): string =>
      `<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>${(paragraphs.length > 0 ? paragraphs : ['']).map((t) => (t === '' ? '<w:p/>' : p(t))).join('')}</w:tc>`;
    const row = (...cells: string[][]): string =>
      `<w:tr>${cells.map((c) => cell(...c)).join('')}</w:tr>`;
    const header = row(['类别'], ['工作任务'], ['牵头单位'], ['配合单位'], ['完成时限']);
    const body =
      p('中川区教育局2025年工作要点任务分解表') +
      '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>' +
      header +
      row(
        ['教育公平'],
        ['扩大优质学位供给。', '新增学位2000个。'],
        ['基教科'],
        ['计财科'],
        ['8月底前'],
      ) +
      row([], ['做好随迁子女入学'], ['招生办'], [], ['9月开学前']) +
      header +
      row(['教育保障'], ['推进智慧校园建设'], ['信息中心'], ['装备中心、电教馆'], ['第四季度末']) +
      '</w:tbl>';
    const plan = await parsePlanDocument('plan.docx', await numberedDocx({ body }));
    expect(rows(plan)).toEqual([
      ['教育公平', 1, '扩大优质学位供给', ['基教科', '计财科'], ['2025-08-31']],
      ['教育公平', 2, '做好随迁子女入学', ['招生办'], ['2025-08-31']],
      ['教育保障', 3, '推进智慧校园建设', ['信息中心', '装备中心', '电教馆'], ['2025-12-31']],
    ]);
    expect(bodies(plan)[0]).toBe('新增学位2000个。');
    expect(plan.warnings).toEqual([]);
  });

  it('skips a header repeated in a one-cell-per-line copy and reads a table without 序号', () => {
    const vertical = parsePlanText(
      [
        '南山区教育局2025年工作要点',
        '序号',
        '工作任务',
        '责任单位',
        '完成时限',
        '1',
        '推进课程改革',
        '教研室',
        '6月底前',
        '序号',
        '工作任务',
        '责任单位',
        '完成时限',
        '2',
        '推进作业改革',
        '基教科',
        '10月上旬',
      ].join('\n'),
    );
    expect(rows(vertical)).toEqual([
      [null, 1, '推进课程改革', ['教研室'], ['2025-06-30']],
      [null, 2, '推进作业改革', ['基教科'], ['2025-10-10']],
    ]);
    expect(vertical.warnings).toEqual([]);

    const noNumbers = parsePlanText(
      [
        '南山区教育局2025年工作要点',
        '工作内容\t责任科室\t完成时间',
        '推进课程改革\t教研室\t6月底前',
        '推进作业改革\t基教科、教研室\t年底前',
      ].join('\n'),
    );
    expect(rows(noNumbers)).toEqual([
      [null, 1, '推进课程改革', ['教研室'], ['2025-06-30']],
      [null, 2, '推进作业改革', ['基教科', '教研室'], ['2025-12-31']],
    ]);
  });

  it('reads a row whose cells do not line up with the header column by column, with a warning', () => {
    const plan = parsePlanText(
      [
        '南山区教育局2025年工作要点',
        '序号\t工作任务\t责任单位\t配合单位\t完成时限',
        '1\t推进课程改革\t6月底前\t教研室',
      ].join('\n'),
    );
    // The cell that fits its column is kept; the deadline in the unit column is not a unit.
    expect(rows(plan)).toEqual([[null, 1, '推进课程改革', ['教研室'], []]]);
    expect(plan.warnings).toEqual([
      { line: 3, message: '表格行的单元格与表头的5列对不上，已按列的顺序读取' },
    ]);
  });

  it('reads a school calendar of its own for term wording', () => {
    const plan = parsePlanText(fixture('table-tabs.txt'), {
      schoolCalendar: { autumnTermStart: '08-28', summerBreakStart: '07-05' },
    });
    expect(rows(plan).map((r) => r[4])).toEqual([
      ['2025-06-30'],
      ['2025-12-31'],
      ['2025-08-27'],
      ['2025-07-04'],
    ]);
  });

  it('reads a table of 5,000 rows', () => {
    const lines = [
      '东海区教育局2025年重点工作任务分解表',
      '序号\t类别\t重点工作任务\t主要责任单位\t协同配合单位\t完成时限',
    ];
    for (let n = 1; n <= 5000; n++) {
      const category = n % 100 === 1 ? `第${Math.ceil(n / 100)}类` : '';
      lines.push(
        `${n}\t${category}\t推进第${n}项重点工作。细化措施。\t科室${n % 23}\t科室${(n + 1) % 23}\t${(n % 12) + 1}月底前`,
      );
    }
    const plan = parsePlanText(lines.join('\n'));
    expect(plan.sections).toHaveLength(50);
    expect(plan.sections.flatMap((s) => s.items)).toHaveLength(5000);
    expect(plan.sections[49].items.at(-1)).toMatchObject({
      number: 5000,
      title: '推进第5000项重点工作',
      units: ['科室9', '科室10'],
      deadlineHints: [{ text: '9月底前', date: '2025-09-30' }],
    });
    expect(plan.warnings).toEqual([]);
  });
});
