import { describe, expect, it } from '@jest/globals';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { composeBulletin, renderBulletinHtml } from '../../src/cycles/bulletin.js';
import { computeResults, type RequestFacts } from '../../src/cycles/cycle-results.js';
import {
  cronProblem,
  currentPeriod,
  dueOf,
  parseRating,
  parseScope,
  refusalFor,
  reportRefusal,
  tickPattern,
} from '../../src/cycles/cycle-rules.js';

const calendar = new WorkingCalendar();
const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const spec = (
  kind: 'monthly' | 'quarterly' | 'cron',
  extra: Partial<{ cron: string; startsOn: string }> = {},
) => ({
  kind,
  cron: extra.cron ?? null,
  openAt: '09:00',
  startsOn: extra.startsOn ?? '2022-01-01',
});

describe('cadence periods', () => {
  it('opens a month on its first working day: October 2022 on the 8th, after the National Day holiday', () => {
    expect(currentPeriod(spec('monthly'), at('2022-10-05T12:00:00'), calendar, TZ)).toMatchObject({
      // October has not opened yet: the period still open is September's.
      key: '2022-09',
      opensOn: '2022-09-01',
    });
    expect(currentPeriod(spec('monthly'), at('2022-10-08T09:00:00'), calendar, TZ)).toMatchObject({
      key: '2022-10',
      label: '2022年10月',
      opensOn: '2022-10-08',
    });
  });

  it('names quarters in Chinese and crosses the year boundary backwards', () => {
    expect(currentPeriod(spec('quarterly'), at('2022-07-01T09:00:00'), calendar, TZ)).toMatchObject(
      {
        key: '2022-Q3',
        label: '2022年第三季度',
      },
    );
    // 1 January 2022 is a holiday, 3 January too (元旦): Q1 opens on the 4th; before then, Q4 2021.
    expect(
      currentPeriod(
        spec('quarterly', { startsOn: '2021-01-01' }),
        at('2022-01-03T10:00:00'),
        calendar,
        TZ,
      )?.key,
    ).toBe('2021-Q4');
    expect(
      currentPeriod(
        spec('quarterly', { startsOn: '2021-01-01' }),
        at('2022-01-04T09:00:00'),
        calendar,
        TZ,
      ),
    ).toMatchObject({
      key: '2022-Q1',
      opensOn: '2022-01-04',
    });
  });

  it('opens no period that starts before the cadence does', () => {
    expect(
      currentPeriod(
        spec('quarterly', { startsOn: '2022-03-25' }),
        at('2022-03-30T10:00:00'),
        calendar,
        TZ,
      ),
    ).toBeNull();
  });

  it('takes the latest fire time of a cron cadence as its period', () => {
    const weekly = spec('cron', { cron: '30 8 * * 1' });
    expect(currentPeriod(weekly, at('2022-04-13T10:00:00'), calendar, TZ)).toMatchObject({
      key: '2022-04-11T08:30',
      opensOn: '2022-04-11',
      opensAt: at('2022-04-11T08:30:00'),
    });
    // At the fire instant itself, that fire is the period.
    expect(currentPeriod(weekly, at('2022-04-18T08:30:00'), calendar, TZ)?.key).toBe(
      '2022-04-18T08:30',
    );
    expect(tickPattern(weekly)).toBe('30 8 * * 1');
    expect(tickPattern(spec('monthly'))).toBe('0 9 * * *');
  });

  it('explains a cron expression it cannot use', () => {
    expect(cronProblem('0 9 1 * *', TZ)).toBeNull();
    expect(cronProblem('every monday', TZ)).toContain('不是合法的 cron 表达式');
    expect(cronProblem('0 25 * * *', TZ)).toContain('不是合法的 cron 表达式');
  });
});

describe('due dates and states', () => {
  it('counts working days after opening on the statutory calendar', () => {
    // Saturday 2 April 2022 is a make-up working day; 3–5 April are 清明.
    expect(dueOf('2022-04-01', 10, calendar, TZ)).toEqual({
      dueOn: '2022-04-18',
      dueAt: at('2022-04-18T23:59:59'),
    });
    // Opening on a Sunday counts from the next working day.
    expect(dueOf('2022-04-10', 0, calendar, TZ).dueOn).toBe('2022-04-11');
  });

  it('locks a closed cycle against every change', () => {
    for (const change of ['open', 'close', 'edit', 'report', 'decide'] as const) {
      expect(refusalFor('closed', change)).toContain('已结束并锁定');
    }
    expect(refusalFor('scheduled', 'report')).toBe('督导周期尚未开启');
    expect(refusalFor('open', 'report')).toBeNull();
    expect(reportRefusal({ status: 'returned' })).toBeNull();
    expect(reportRefusal({ status: 'rated' })).toContain('已评价');
  });

  it('reads ratings as codes or Chinese labels', () => {
    expect(['好', '较好', '一般', '差', 'poor'].map(parseRating)).toEqual([
      'good',
      'fair',
      'average',
      'poor',
      'poor',
    ]);
    expect(parseRating('优秀')).toBeNull();
  });

  it('says what is wrong with a scope', () => {
    expect(parseScope(undefined)).toEqual({ scope: { kind: 'plan' } });
    expect(parseScope({ kind: 'units' })).toEqual({
      problem: expect.stringContaining('kind 须为'),
    });
    expect(parseScope({ kind: 'items', ids: [] })).toEqual({
      problem: 'ids 须列出至少 1 个条目 id',
    });
    expect(parseScope({ kind: 'sections', ids: ['x'] })).toEqual({
      problem: 'ids 中的“x”不是板块 id',
    });
  });
});

describe('results and the bulletin', () => {
  const due = at('2022-04-18T23:59:59');
  const fact = (
    over: Partial<RequestFacts> & Pick<RequestFacts, 'taskId' | 'unitId' | 'unitName'>,
  ): RequestFacts => ({
    sectionOrdinal: 1,
    sectionTitle: '一、立德树人',
    itemNumber: 1,
    itemTitle: '推进思政课建设',
    role: 'lead',
    firstSubmittedAt: null,
    latest: null,
    ...over,
  });
  const facts: RequestFacts[] = [
    fact({
      taskId: 't1',
      unitId: 'u1',
      unitName: '宣传科',
      firstSubmittedAt: at('2022-04-08T10:00:00'),
      latest: { status: 'rated', rating: 'good', comment: null },
    }),
    fact({
      taskId: 't2',
      unitId: 'u2',
      unitName: '德育科',
      itemNumber: 2,
      sectionOrdinal: 2,
      sectionTitle: '二、<b>质量</b>',
      firstSubmittedAt: at('2022-04-10T10:00:00'),
      latest: { status: 'returned', rating: null, comment: '请补充' },
    }),
    fact({
      taskId: 't3',
      unitId: 'u3',
      unitName: '体卫艺科',
      itemNumber: 3,
      itemTitle: '<i>体育</i>',
    }),
  ];

  it('judges a returned report not reported again as missing once due, pending before', () => {
    const open = computeResults(facts, { dueAt: due, closed: false }, at('2022-04-15T10:00:00'));
    expect(open.requests.map((r) => [r.taskId, r.outcome])).toEqual([
      ['t1', 'on_time'],
      ['t2', 'pending'],
      ['t3', 'pending'],
    ]);
    const closed = computeResults(facts, { dueAt: due, closed: true }, at('2022-04-15T10:00:00'));
    expect(closed.totals).toMatchObject({ requested: 3, onTime: 1, missing: 2, pending: 0 });
    expect(closed.requests[1]).toMatchObject({ outcome: 'missing', returned: true });
    expect(closed.sections.map((s) => [s.sectionOrdinal, s.requested])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('puts good and lagging units in their tables and escapes every value in HTML', () => {
    const results = computeResults(facts, { dueAt: due, closed: true }, due);
    const bulletin = composeBulletin({
      planTitle: '虹口区教育局2022年工作要点',
      planDocNumber: '虹教〔2022〕1号',
      issuer: '上海市虹口区教育局',
      year: 2022,
      cycleTitle: '2022年第二季度督导',
      openedOn: '2022年4月1日',
      dueOn: '2022年4月18日',
      today: '2022年4月20日',
      closed: true,
      results,
    });
    expect(bulletin.title).toBe('关于2022年第二季度督导情况的通报');
    expect(bulletin.tables[0].rows.map((r) => r[0])).toEqual(['宣传科']);
    expect(bulletin.tables[1].rows.map((r) => r[0]).sort()).toEqual(['体卫艺科', '德育科'].sort());
    expect(bulletin.tables[2].rows.map((r) => r[3])).toEqual(['报告被退回后未重新报送', '未报送']);
    expect(bulletin.draftNote).toBeNull();
    const html = renderBulletinHtml(bulletin);
    expect(html).toContain('&lt;i&gt;体育&lt;/i&gt;');
    expect(html).not.toContain('<i>');
  });
});
