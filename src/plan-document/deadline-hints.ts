import type { DeadlineHint, SchoolCalendar } from './plan-document.js';

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  '○': 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/**
 * A number written in Arabic digits (half- or full-width) or Chinese numerals up to 99
 * ("十二", "二十一"); null when it is neither.
 */
export function parseSmallNumber(text: string): number | null {
  const s = toHalfWidthDigits(text.trim());
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  const [, tens, ten, ones] = m;
  if (!ten) {
    // Only a single digit is meaningful without 十.
    return tens && !ones ? CN_DIGITS[tens] : null;
  }
  return (tens ? CN_DIGITS[tens] : 1) * 10 + (ones ? CN_DIGITS[ones] : 0);
}

/** A four-digit year in Arabic digits or digit-by-digit Chinese numerals ("二〇二二"). */
export function parseYear(text: string): number | null {
  const s = toHalfWidthDigits(text.trim());
  if (/^\d{4}$/.test(s)) return Number(s);
  if (!/^[〇○零一二三四五六七八九]{4}$/.test(s)) return null;
  return Number([...s].map((c) => CN_DIGITS[c]).join(''));
}

/** Full-width digits ０-９ as ASCII digits; the length of the string does not change. */
export function toHalfWidthDigits(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** 'YYYY-MM-DD', or null if there is no such day. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function endOfMonth(year: number, month: number): string {
  if (month < 1) return endOfMonth(year - 1, 12 + month);
  return isoDate(year, month, lastDayOfMonth(year, month))!;
}

const CN_YEAR = '[〇○零一二三四五六七八九]{4}';
const MONTH = '(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])';
const DAY =
  '(3[01]|[12]\\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])';
const QUARTER_END: Record<number, [number, number]> = {
  1: [3, 31],
  2: [6, 30],
  3: [9, 30],
  4: [12, 31],
};

/**
 * Year-level wording after an explicit year ("2023年底前") or standing alone ("年内"). A bare
 * one must not be part of "每年", "逐年", "三年内", "学年底", "明年" …, which are no deadline of the
 * plan year; "年中" must not be the start of "年中考…" ("2022年中考招生").
 */
const YEAR_PERIOD =
  '(底前|底之前|底以前|底|末|内|终前|中(?=前|之前|以前|完成|[，,。；;、）)]|$)|上半年|下半年|第?[一二三四1-4]季度)';
const EXPLICIT_YEAR_PERIOD = new RegExp(
  `(?<![\\d〇○零一二三四五六七八九])(\\d{4}|${CN_YEAR})\\s*年${YEAR_PERIOD}`,
  'g',
);
const BARE_YEAR_PERIOD = new RegExp(
  `(?<!每年|逐年)(?<![每逐学明去后前近往历多跨两几百千万半\\d〇○零一二三四五六七八九十])年(底前|底之前|底以前|底|末|内|终前|中(?=前|之前|以前|完成|[，,。；;、）)]|$))`,
  'g',
);
const FULL_YEAR = /(?<!每)全年(?![级龄度])/g;
const HALF_YEAR = /(?<![每])(上半年|下半年)/g;
const QUARTER = /(?<![每\d])(第?)([一二三四1-4])季度(?:末|底)?(?:前|之前|以前)?/g;
const MONTH_DEADLINE = new RegExp(
  `(?<![\\d〇○零一二三四五六七八九十])(?:(\\d{4}|${CN_YEAR})\\s*年)?${MONTH}\\s*月` +
    `(?:(底前|底之前|底以前|底|末|份前|份之前|份以前)|(上中旬|中下旬|上旬|中旬|下旬)(?:前|之前|以前)?|(前|之前|以前)|${DAY}\\s*[日号]\\s*(前|之前|以前))`,
  'g',
);

/** The school calendar the term wording is dated by, unless the caller gives another. */
export const DEFAULT_SCHOOL_CALENDAR: SchoolCalendar = {
  springTermStart: '03-01',
  summerBreakStart: '07-01',
  autumnTermStart: '09-01',
  winterBreakStart: '01-20',
};

/** The school calendar with the caller's dates; throws on a date that is not 'MM-DD'. */
export function schoolCalendarWith(dates: Partial<SchoolCalendar> = {}): SchoolCalendar {
  const calendar = { ...DEFAULT_SCHOOL_CALENDAR, ...dates };
  for (const [name, value] of Object.entries(calendar)) {
    const m = /^(\d{2})-(\d{2})$/.exec(value);
    if (!m || isoDate(2024, Number(m[1]), Number(m[2])) === null)
      throw new RangeError(`schoolCalendar.${name} must be 'MM-DD', got '${value}'`);
  }
  return calendar;
}

/**
 * Deadlines set by the school year: "9月开学前" / "秋季开学前" (the day before the autumn term
 * starts), "春季开学前", "寒假前" / "秋季学期末" (the day before the winter break, which falls in
 * the next calendar year), "暑假前" / "学期末" / "春季学期末" (the day before the summer break).
 * "每学期末" is a recurring duty, not a deadline.
 */
const SCHOOL_TERM = new RegExp(
  `(?<![每\\d])(?:(\\d{4}|${CN_YEAR})\\s*年\\s*)?` +
    '(?:(?:(?:[89]|八|九|[23]|二|三)月份?|秋季|秋季学期|春季|春季学期|新学期)开学(?:前|之前|以前)|' +
    '放?[寒暑]假(?:前|之前|以前)|(?:秋季|春季|第[一二]|上|下|本)?学期(?:末|结束前)|学年(?:末|结束前))',
  'g',
);

function termDeadline(wording: string, year: number, calendar: SchoolCalendar): string | null {
  const w = wording.replace(/^.*年\s*/, '');
  const dayBefore = (monthDay: string, y: number): string | null => {
    const [month, day] = monthDay.split('-').map(Number);
    const date = new Date(Date.UTC(y, month - 1, day - 1));
    return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  };
  const monthOf = (monthDay: string): number => Number(monthDay.slice(0, 2));
  // The winter break that ends the autumn term falls in the next calendar year.
  const winterYear =
    monthOf(calendar.winterBreakStart) < monthOf(calendar.autumnTermStart) ? year + 1 : year;
  if (/开学/.test(w)) {
    if (/^(?:[23]|二|三)月|^春季/.test(w)) return dayBefore(calendar.springTermStart, year);
    return dayBefore(calendar.autumnTermStart, year);
  }
  if (/寒假|秋季学期|第一学期|上学期/.test(w))
    return dayBefore(calendar.winterBreakStart, winterYear);
  return dayBefore(calendar.summerBreakStart, year);
}

interface Candidate {
  index: number;
  end: number;
  text: string;
  date: string;
}

function periodDate(year: number, period: string): string | null {
  if (period.startsWith('底') || period === '末' || period === '内' || period === '终前')
    return `${year}-12-31`;
  if (period.startsWith('中') || period === '上半年') return `${year}-06-30`;
  if (period === '下半年') return `${year}-12-31`;
  const q = /^第?([一二三四1-4])季度$/.exec(period);
  if (q) {
    const [month, day] = QUARTER_END[parseSmallNumber(q[1])!];
    return isoDate(year, month, day);
  }
  return null;
}

/**
 * The deadlines an item's text states, in document order, de-duplicated by date and wording.
 * `year` is the plan year, used when the text names no year; without it nothing can be dated.
 * Only wording that marks a deadline counts: "6月底前", "年内", "第三季度", "3月15日前" — not a
 * plain date such as "3月15日召开" or "2024年普通高校…".
 */
export function extractDeadlineHints(
  text: string,
  year: number | null,
  calendar: SchoolCalendar = DEFAULT_SCHOOL_CALENDAR,
): DeadlineHint[] {
  if (year === null) return [];
  const s = toHalfWidthDigits(text);
  const found: Candidate[] = [];
  const add = (index: number, length: number, date: string | null): void => {
    if (date)
      found.push({ index, end: index + length, text: text.slice(index, index + length), date });
  };

  for (const m of s.matchAll(EXPLICIT_YEAR_PERIOD)) {
    const y = parseYear(m[1]);
    if (y !== null) add(m.index, m[0].length, periodDate(y, m[2]));
  }
  for (const m of s.matchAll(BARE_YEAR_PERIOD)) add(m.index, m[0].length, periodDate(year, m[1]));
  for (const m of s.matchAll(FULL_YEAR)) add(m.index, m[0].length, `${year}-12-31`);
  for (const m of s.matchAll(HALF_YEAR)) add(m.index, m[0].length, periodDate(year, m[1]));
  for (const m of s.matchAll(QUARTER))
    add(m.index, m[0].length, periodDate(year, `${m[1]}${m[2]}季度`));
  for (const m of s.matchAll(MONTH_DEADLINE)) {
    const [, yearText, monthText, monthEnd, tenDays, beforeMonth, dayText] = m;
    const y = yearText ? parseYear(yearText) : year;
    const month = parseSmallNumber(monthText);
    if (y === null || month === null) continue;
    let date: string | null = null;
    if (monthEnd) date = endOfMonth(y, month);
    else if (tenDays === '上旬') date = isoDate(y, month, 10);
    else if (tenDays === '中旬' || tenDays === '上中旬') date = isoDate(y, month, 20);
    else if (tenDays === '下旬' || tenDays === '中下旬') date = endOfMonth(y, month);
    else if (beforeMonth) date = month <= 12 ? endOfMonth(y, month - 1) : null;
    else if (dayText) {
      const day = parseSmallNumber(dayText);
      date = day === null ? null : isoDate(y, month, day);
    }
    add(m.index, m[0].length, date);
  }
  for (const m of s.matchAll(SCHOOL_TERM)) {
    const y = m[1] ? parseYear(m[1]) : year;
    if (y !== null) add(m.index, m[0].length, termDeadline(m[0], y, calendar));
  }

  // Earlier first; at the same place the longer wording wins ("2023年底前" over "年底前").
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const hints: DeadlineHint[] = [];
  const seen = new Set<string>();
  let coveredTo = -1;
  for (const c of found) {
    if (c.index < coveredTo) continue;
    coveredTo = c.end;
    const key = hintKey(c);
    if (seen.has(key)) continue;
    seen.add(key);
    hints.push({ text: c.text, date: c.date });
  }
  return hints;
}

/** The same deadline in the same words. */
export function hintKey(hint: DeadlineHint): string {
  return `${hint.date}|${hint.text}`;
}

/** A dash or "至" right after a date: the date starts a range. */
const RANGE_DASH = /\s*[-—–~～至到]/y;

/** A date a table's "完成时限" cell may give without deadline wording. */
const CELL_DATES = [
  // 2024年6月30日, 6月30日, 6月, 6月份
  new RegExp(
    `(?<![\\d〇○零一二三四五六七八九十])(?:(\\d{4}|${CN_YEAR})\\s*年\\s*)?${MONTH}\\s*月份?(?:\\s*${DAY}\\s*[日号])?`,
    'g',
  ),
  // 2024-06-30, 2024.6.30, 2024/6
  /(?<!\d)(\d{4})\s*[-/.．]\s*(1[0-2]|0?[1-9])(?:\s*[-/.．]\s*(3[01]|[12]\d|0?[1-9]))?(?!\d)/g,
  // 6.30, 6/30
  /(?<![\d.．/-])()(1[0-2]|0?[1-9])\s*[/.．]\s*(3[01]|[12]\d|0?[1-9])(?![\d.．/])/g,
];

/**
 * The deadlines in a table's "完成时限" cell. Besides the wording `extractDeadlineHints` reads, a
 * bare month or day counts there: "6月" → the month's last day, "6月30日" or "2024.6.30" → that
 * day; of a range ("3-6月", "3月至6月") only the end is a deadline.
 */
export function extractDeadlineCellHints(
  text: string,
  year: number | null,
  calendar: SchoolCalendar = DEFAULT_SCHOOL_CALENDAR,
): DeadlineHint[] {
  const hints = extractDeadlineHints(text, year, calendar);
  if (hints.length > 0 || year === null) return hints;
  const s = toHalfWidthDigits(text);
  const found: Candidate[] = [];
  for (const pattern of CELL_DATES) {
    for (const m of s.matchAll(pattern)) {
      const [whole, yearText, monthText, dayText] = m;
      const end = m.index + whole.length;
      // "3月至6月", "3-6月": the start of a range is no deadline.
      RANGE_DASH.lastIndex = end;
      if (RANGE_DASH.test(s)) continue;
      const y = yearText ? parseYear(yearText) : year;
      const month = parseSmallNumber(monthText);
      if (y === null || month === null) continue;
      const day = dayText ? parseSmallNumber(dayText) : null;
      const date = dayText ? (day === null ? null : isoDate(y, month, day)) : endOfMonth(y, month);
      if (date) found.push({ index: m.index, end, text: text.slice(m.index, end).trim(), date });
    }
  }
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const seen = new Set(hints.map(hintKey));
  let coveredTo = -1;
  for (const c of found) {
    if (c.index < coveredTo) continue;
    coveredTo = c.end;
    if (seen.has(hintKey(c))) continue;
    seen.add(hintKey(c));
    hints.push({ text: c.text, date: c.date });
  }
  return hints;
}
