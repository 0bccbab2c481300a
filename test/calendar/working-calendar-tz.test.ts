import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import swc from '@swc/core';

/*
 * chinese-days reads 'YYYY-MM-DD' strings as UTC midnight and then uses local-time getters, so in
 * a process time zone west of UTC it answers for the previous day. The calendar must not depend
 * on the process time zone. Jest cannot change the time zone of its own process, so the calendar
 * is compiled and run in a child process with TZ=America/New_York.
 */

const srcDir = join(import.meta.dirname, '..', '..', 'src', 'calendar');
let dir: string;

function compile(name: string): void {
  const { code } = swc.transformFileSync(join(srcDir, `${name}.ts`), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: false,
  });
  // Resolve packages from the project, not from the temporary directory.
  const fixed = code
    .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(join(srcDir, `${name}.ts`)).href))
    .replace(/(['"])\.\/business-time\.js\1/, JSON.stringify('./business-time.mjs'));
  writeFileSync(join(dir, `${name}.mjs`), fixed);
}

const chineseDays = pathToFileURL(createRequire(import.meta.url).resolve('chinese-days')).href;

function runWithTz(tz: string, body = DEFAULT_BODY): unknown {
  const script = `
    import cd from ${JSON.stringify(chineseDays)};
    import { addCalendarDays } from './business-time.mjs';
    import { WorkingCalendar } from './working-calendar.mjs';
    ${body}`;
  writeFileSync(join(dir, 'run.mjs'), script);
  const out = execFileSync(process.execPath, [join(dir, 'run.mjs')], {
    env: { PATH: process.env.PATH ?? '', TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const DEFAULT_BODY = `
    const c = new WorkingCalendar();
    console.log(JSON.stringify({
      offset: new Date(2022, 9, 8).getTimezoneOffset(),
      years: WorkingCalendar.OFFICIAL_DATA_YEARS,
      days: ['2022-10-07', '2022-10-08', '2022-10-03', '2022-10-10'].map((d) => c.isWorkday(d)),
      next: c.addWorkdays('2022-09-30', 1),
      last: c.lastWorkdayOfYear(2022),
    }));`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-calendar-tz-'));
  compile('business-time');
  compile('working-calendar');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('WorkingCalendar whatever the process time zone', () => {
  it.each([
    ['America/New_York', 240],
    ['Asia/Shanghai', -480],
    ['Pacific/Kiritimati', -840],
    ['UTC', 0],
  ])('TZ=%s', (tz, offset) => {
    expect(runWithTz(tz)).toEqual({
      offset,
      years: { from: 2004, to: 2026 },
      days: [false, true, false, true],
      next: '2022-10-08',
      last: '2022-12-30',
    });
  });
});

describe('chinese-days itself', () => {
  it('agrees with the calendar on every day 2004–2026 in its home time zone', () => {
    const body = `
      const c = new WorkingCalendar();
      let days = 0;
      const mismatches = [];
      for (let d = '2004-01-01'; d <= '2026-12-31'; d = addCalendarDays(d, 1)) {
        days++;
        if (c.isWorkday(d) !== cd.isWorkday(d)) mismatches.push(d);
      }
      console.log(JSON.stringify({ days, mismatches }));`;
    expect(runWithTz('Asia/Shanghai', body)).toEqual({ days: 8401, mismatches: [] });
  });

  it('answers for the wrong day west of UTC (why the calendar reads its JSON data)', () => {
    const body = `
      const c = new WorkingCalendar();
      console.log(JSON.stringify({
        packageDates: [cd.isWorkday(new Date(2022, 9, 7)), cd.isWorkday(new Date(2022, 9, 9))],
        packageString: cd.isWorkday('2022-10-10'),
        calendar: [c.isWorkday('2022-10-07'), c.isWorkday('2022-10-09'), c.isWorkday('2022-10-10')],
      }));`;
    // chinese-days 1.5.7 under TZ=America/New_York: 2022-10-07 (holiday) → working day,
    // 2022-10-09 (make-up Sunday) → day off, '2022-10-10' (ordinary Monday) → day off.
    expect(runWithTz('America/New_York', body)).toEqual({
      packageDates: [true, false],
      packageString: false,
      calendar: [false, true, true],
    });
  });
});
