import { seedPlan } from '../support/seed.js';

/** The seed plan's text with some of its numbered lines changed (by item number) or dropped. */
export function seedWith(edits: Record<number, ((line: string) => string) | null>): Buffer {
  const lines = seedPlan().toString('utf8').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const n = /^(\d+)[.、]/.exec(line)?.[1];
    const edit = n === undefined ? undefined : edits[Number(n)];
    if (edit === null) continue;
    out.push(edit ? edit(line) : line);
  }
  return Buffer.from(out.join('\n'));
}

const replace = (from: string, to: string) => (line: string) => {
  if (!line.includes(from)) throw new Error(`fixture: "${from}" not found`);
  return line.replace(from, to);
};

/**
 * The revision of the seed plan the tests apply: item 12 reworded, item 36 removed, 人事科 added to
 * item 3, item 21's deadline moved from 年内 (2022-12-31) to 2027年6月底前.
 */
export const REVISED_SEED = () =>
  seedWith({
    12: replace('12.深化教育数字化转型工作。', '12.全面推进教育数字化转型。'),
    36: null,
    3: replace('教育学院、未保中心）', '教育学院、未保中心、人事科）'),
    21: replace('年内新增5个普惠性托育点', '2027年6月底前新增5个普惠性托育点'),
  });

/** Units the revision concerns: item 12's (reworded), 办公室 (36), 人事科 (added), item 21's. */
export const AFFECTED_UNITS = [
  '中教科',
  '人事科',
  '体卫科艺科',
  '信息中心',
  '办公室',
  '小幼教科',
  '教育学院',
];

/** The same plan (文号, year) with only the first `keep` items left. */
export const SEED_KEEPING = (keep: number) =>
  seedWith(Object.fromEntries(Array.from({ length: 36 - keep }, (_, i) => [keep + 1 + i, null])));

/** A document under the seed's 文号 whose items are all new. */
export const ALL_NEW_ITEMS = () =>
  Buffer.from(
    [
      '上海市虹口区教育局文件',
      '虹教〔2022〕1号',
      '虹口区教育局2022年工作要点',
      '一、新的重点工作',
      '1.建设智慧校园示范点。完成三所学校的智慧校园改造。（责任科室：信息中心）',
      '2.开展校园安全专项整治。排查校园周边安全隐患。（责任科室：事务中心）',
    ].join('\n'),
  );
