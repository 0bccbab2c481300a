import { describe, it, expect } from '@jest/globals';
import { extractDeadlineCellHints, extractDeadlineHints } from '../../src/plan-document/index.js';

describe('extractDeadlineHints', () => {
  const dated: [string, string, string][] = [
    // [item text, words the hint quotes, date]
    ['年内新增5个普惠性托育点', '年内', '2022-12-31'],
    ['年底前完成校舍改造', '年底前', '2022-12-31'],
    ['确保年底建成', '年底', '2022-12-31'],
    ['年末前完成审计', '年末', '2022-12-31'],
    ['全年完成培训1000人次', '全年', '2022-12-31'],
    ['上半年完成方案研制', '上半年', '2022-06-30'],
    ['年中完成中期评估', '年中', '2022-06-30'],
    ['下半年启动试点', '下半年', '2022-12-31'],
    ['第一季度完成招聘', '第一季度', '2022-03-31'],
    ['一季度启动', '一季度', '2022-03-31'],
    ['第2季度完成', '第2季度', '2022-06-30'],
    ['第三季度完成托班扩容', '第三季度', '2022-09-30'],
    ['四季度验收', '四季度', '2022-12-31'],
    ['6月底前完成全员轮训', '6月底前', '2022-06-30'],
    ['9月底完成', '9月底', '2022-09-30'],
    ['2月末完成', '2月末', '2022-02-28'],
    ['11月份前完成评估', '11月份前', '2022-11-30'],
    ['3月前制定方案', '3月前', '2022-02-28'],
    ['10月之前完成', '10月之前', '2022-09-30'],
    ['9月上旬开学前完成', '9月上旬', '2022-09-10'],
    ['10月中旬举办', '10月中旬', '2022-10-20'],
    ['11月下旬完成', '11月下旬', '2022-11-30'],
    ['5月20日前报送材料', '5月20日前', '2022-05-20'],
    ['7月1日之前完成', '7月1日之前', '2022-07-01'],
    ['12月31日以前完成', '12月31日以前', '2022-12-31'],
    ['六月底前完成', '六月底前', '2022-06-30'],
    ['十二月底前完成', '十二月底前', '2022-12-31'],
    ['三月十五日之前完成', '三月十五日之前', '2022-03-15'],
    ['力争2023年6月底前建成', '2023年6月底前', '2023-06-30'],
    ['2023年底前全面完成', '2023年底前', '2023-12-31'],
    ['2023年上半年完成', '2023年上半年', '2023-06-30'],
    ['１２月底前完成', '１２月底前', '2022-12-31'],
  ];

  it.each(dated)('dates "%s" by the words "%s" as %s', (text, words, date) => {
    expect(extractDeadlineHints(text, 2022)).toEqual([{ text: words, date }]);
  });

  const undated: string[] = [
    '3月15日召开全区教育工作会议',
    '做好《2024年普通高校本科专业选考科目要求》宣传',
    '每年开展一次评估',
    '每年年底报送统计',
    '力争实现新发近视率逐年降低',
    '做好2022年中考招生工作',
    '实施三年行动计划，三年内完成',
    '学年底完成评价',
    '全年级学生参加',
    '每季度开展一次督查',
    '9月开学',
    '12个月内完成',
  ];

  it.each(undated)('finds no deadline in "%s"', (text) => {
    expect(extractDeadlineHints(text, 2022)).toEqual([]);
  });

  it('lists several deadlines in document order', () => {
    expect(extractDeadlineHints('上半年完成方案，9月底前启动试点，年内全面推开。', 2022)).toEqual([
      { text: '上半年', date: '2022-06-30' },
      { text: '9月底前', date: '2022-09-30' },
      { text: '年内', date: '2022-12-31' },
    ]);
  });

  it('lists the same wording for the same date once', () => {
    expect(extractDeadlineHints('年内新增5个托育点，年内完成10所学校改造。', 2022)).toEqual([
      { text: '年内', date: '2022-12-31' },
    ]);
  });

  it('reads "1月前" as the end of the previous year', () => {
    expect(extractDeadlineHints('1月前完成', 2023)).toEqual([
      { text: '1月前', date: '2022-12-31' },
    ]);
  });

  it('gives no date that does not exist', () => {
    expect(extractDeadlineHints('2月30日前完成', 2022)).toEqual([]);
  });

  it('dates nothing when the plan year is unknown', () => {
    expect(extractDeadlineHints('年内新增5个托育点，6月底前完成', null)).toEqual([]);
  });
});

describe('extractDeadlineCellHints', () => {
  const cells: [string, string, string][] = [
    // [a table's "完成时限" cell, words the hint quotes, date]
    ['6月底前', '6月底前', '2024-06-30'],
    ['6月', '6月', '2024-06-30'],
    ['12月份', '12月份', '2024-12-31'],
    ['十月', '十月', '2024-10-31'],
    ['6月30日', '6月30日', '2024-06-30'],
    ['2025年3月', '2025年3月', '2025-03-31'],
    ['2024年9月30日', '2024年9月30日', '2024-09-30'],
    ['2024-06-30', '2024-06-30', '2024-06-30'],
    ['2024.6', '2024.6', '2024-06-30'],
    ['6.30', '6.30', '2024-06-30'],
    ['3-6月', '6月', '2024-06-30'],
    ['3月至6月', '6月', '2024-06-30'],
    ['全年', '全年', '2024-12-31'],
    ['第三季度', '第三季度', '2024-09-30'],
  ];

  it.each(cells)('dates the cell "%s" by "%s" as %s', (cell, words, date) => {
    expect(extractDeadlineCellHints(cell, 2024)).toEqual([{ text: words, date }]);
  });

  it.each(['长期', '持续推进', '每月', ''])('finds no deadline in the cell "%s"', (cell) => {
    expect(extractDeadlineCellHints(cell, 2024)).toEqual([]);
  });

  it('lists two dates of one cell', () => {
    expect(extractDeadlineCellHints('3月、9月', 2024)).toEqual([
      { text: '3月', date: '2024-03-31' },
      { text: '9月', date: '2024-09-30' },
    ]);
  });

  it('dates nothing when the plan year is unknown', () => {
    expect(extractDeadlineCellHints('6月', null)).toEqual([]);
  });
});
