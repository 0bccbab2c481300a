import { it } from '@jest/globals';
import { extractDeadlineHints } from '../../src/plans/deadline-hints.js';
it('probe', () => {
  for (const s of ['年内新增5个', '2023年6月底前完成', '六月底前', '十二月底前', '3月前完成', '3月15日召开', '2024年普通高校', '每年年底', '逐年降低', '第三季度', '一季度', '9月上旬', '10月中旬', '11月下旬', '3月15日前', '三月十五日之前', '2022年中考招生', '年中完成', '上半年', '下半年', '全年级', '全年', '三年内', '2023年底前', '6月份前', '12月底', '学年底']) {
    console.log(s, JSON.stringify(extractDeadlineHints(s, 2022)));
  }
});
