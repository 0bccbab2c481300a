import { describe, expect, it } from '@jest/globals';
import {
  parsePlanDocument,
  parsePlanText,
  type ParsedPlan,
} from '../../src/plan-document/index.js';
import { numberedDocx, p } from './numbered-docx.js';

/*
 * Documents far larger or stranger than a real plan parse within the default budget (30 s) and
 * correctly: the parser is linear in the size of the document, takes item numbers of any length,
 * and has no regular expression that backtracks exponentially. These would exceed the budget
 * (or merge items) with a quadratic parser.
 */

const UNITS = ['办公室', '组织科', '宣传科', '人事科', '计财科', '中教科', '教研室', '德育'];

/** `items` items numbered 1…items through 20 sections, two units each. */
function planLines(items: number): string[] {
  const numerals = '一二三四五六七八九十';
  const lines = ['某区教育局2022年工作要点'];
  for (let n = 1; n <= items; n++) {
    const section = Math.floor(((n - 1) * 20) / items);
    if (n === 1 || section !== Math.floor(((n - 2) * 20) / items))
      lines.push(
        `${section < 10 ? '' : '十'}${numerals[section % 10]}、第${section + 1}板块重点工作`,
      );
    const units = [0, 1].map((k) => UNITS[(n + k) % UNITS.length]).join('、');
    lines.push(`${n}.推进第${n}项。${(n % 12) + 1}月底前完成。（责任科室：${units}）`);
  }
  return lines;
}

const items = (plan: ParsedPlan) => plan.sections.flatMap((s) => s.items);

describe('large and unusual documents', () => {
  it('numbers items 1000, 1001 and 12345 as written, never merging them into item 999', () => {
    const plan = parsePlanText(
      [
        '某区教育局2022年工作要点',
        '一、重点工作',
        '998.推进甲。（责任科室：宣传科）',
        '999.推进乙。（责任科室：宣传科）',
        '1000.推进丙。（责任科室：组织科）',
        '1001、推进丁。（责任科室：人事科）',
        '１００２．推进戊。（责任科室：德育）',
        '12345.推进己。（责任科室：办公室）',
      ].join('\n'),
    );
    expect(items(plan).map((i) => [i.number, i.title, i.units])).toEqual([
      [998, '推进甲', ['宣传科']],
      [999, '推进乙', ['宣传科']],
      [1000, '推进丙', ['组织科']],
      [1001, '推进丁', ['人事科']],
      [1002, '推进戊', ['德育']],
      [12345, '推进己', ['办公室']],
    ]);
    expect(plan.warnings).toEqual([
      { line: 3, message: '条目编号不连续：第一条的编号是998' },
      { line: 8, message: '条目编号不连续：第1002项之后是第12345项' },
    ]);
  });

  it.each([32_000, 100_000])(
    'parses a plan of %i items within the default budget, every item in place',
    async (count) => {
      const text = Buffer.from(planLines(count).join('\n'));
      expect(text.length).toBeLessThan(10 * 1024 * 1024);
      const plan = await parsePlanDocument('large.txt', text);
      expect(plan.sections).toHaveLength(20);
      const all = items(plan);
      expect(all.length).toBe(count);
      expect(all.findIndex((item, i) => item.number !== i + 1)).toBe(-1);
      expect(all[count - 1]).toEqual({
        number: count,
        title: `推进第${count}项`,
        body: `${(count % 12) + 1}月底前完成。`,
        units: [0, 1].map((k) => UNITS[(count + k) % UNITS.length]),
        allUnits: false,
        deadlineHints: [
          {
            text: `${(count % 12) + 1}月底前`,
            date: new Date(Date.UTC(2022, (count % 12) + 1, 0)).toISOString().slice(0, 10),
          },
        ],
      });
      expect([...plan.units].sort()).toEqual([...UNITS].sort());
      expect(plan.warnings).toEqual([]);
    },
  );

  it('parses a .docx of 32,000 numbered paragraphs within the default budget', async () => {
    const body = planLines(32_000)
      .map((line) => p(line))
      .join('');
    const plan = await parsePlanDocument('large.docx', await numberedDocx({ body }));
    expect(items(plan).length).toBe(32_000);
    expect(items(plan).findIndex((item, i) => item.number !== i + 1)).toBe(-1);
  });

  it('reads one item of 100,000 lines, and one of 20,000 notes, in linear time', async () => {
    const head = ['某区教育局2022年工作要点', '一、重点工作', '1.推进工作。（责任科室：宣传科）'];
    const longItem = [...head, ...Array.from({ length: 100_000 }, (_, i) => `继续推进第${i}项`)];
    const plan = await parsePlanDocument('long.txt', Buffer.from(longItem.join('\n')));
    expect(items(plan).length).toBe(1);
    expect(items(plan)[0].body.endsWith('继续推进第99998项继续推进第99999项')).toBe(true);

    const notes = `${head.slice(0, 2).join('\n')}\n1.推进工作。${'做好。（责任科室：宣传科）'.repeat(10_000)}${'做好。责任单位：组织科。'.repeat(10_000)}`;
    const noted = await parsePlanDocument('notes.txt', Buffer.from(notes));
    expect(items(noted)[0].units).toEqual(['宣传科', '组织科']);
    const body = items(noted)[0].body;
    expect([body.length, body.replaceAll('做好。', '')]).toEqual([3 * 20_000, '']);
  });

  it('reads a line of many "时限：…，" labels without exponential backtracking', async () => {
    // A backtracking regex took 2 s for 25 such labels not followed by a unit label, and twice
    // as long for each one more.
    const labels = '完成时限：一二三，'.repeat(2000);
    const text = `某区教育局2022年工作要点\n一、重点工作\n1.推进工作。${labels}（责任科室：宣传科、组织科）`;
    const plan = await parsePlanDocument('labels.txt', Buffer.from(text));
    expect(items(plan)[0]).toMatchObject({
      number: 1,
      title: '推进工作',
      units: ['宣传科', '组织科'],
    });
    expect(items(plan)[0].body.length).toBe(labels.length);
  });

  it('keeps the start of an unbracketed note at the first label of people or dates', () => {
    const plan = parsePlanText(
      [
        '某区教育局2022年工作要点',
        '一、重点工作',
        '1.推进工作。责任领导：张三；完成时限：6月底前；责任科室：宣传科、组织科',
        '2.推进工作。完成时限：年底前，逐步，推开；责任单位：人事科',
      ].join('\n'),
    );
    expect(items(plan).map((i) => [i.title, i.body, i.units])).toEqual([
      ['推进工作', '', ['宣传科', '组织科']],
      ['推进工作', '', ['人事科']],
    ]);
  });

  it('reads brackets nested 100,000 deep and a unit list of 100,000 names', async () => {
    const depth = 100_000;
    const nested = `某区教育局2022年工作要点\n一、重点工作\n1.推进工作。${'（'.repeat(depth)}说明${'）'.repeat(depth)}（责任科室：宣传科）`;
    const plan = await parsePlanDocument('nested.txt', Buffer.from(nested));
    expect(items(plan)[0]).toMatchObject({ title: '推进工作', units: ['宣传科'] });
    expect(items(plan)[0].body.length).toBe(2 * depth + 2);

    const names = Array.from({ length: depth }, (_, i) => `第${i}科`);
    const many = `某区教育局2022年工作要点\n一、重点工作\n1.推进工作。（责任科室：${names.join('、')}）`;
    const wide = await parsePlanDocument('units.txt', Buffer.from(many));
    expect(wide.units.length).toBe(depth);
    expect(wide.units.findIndex((unit, i) => unit !== names[i])).toBe(-1);
  });
});
