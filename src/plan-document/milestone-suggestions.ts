import { extractDeadlineHints, isoDate, schoolCalendarWith } from './deadline-hints.js';
import type { SchoolCalendar } from './plan-document.js';

/*
 * Suggested milestones (节点) of an item: the concrete measures its text lists ("一是…二是…",
 * "1.…2.…", "；"-separated clauses, sentences), each with a date — the one its own words state,
 * else one spread evenly before the item's deadline. Pure and deterministic: the same text and
 * dates give the same suggestions.
 */

export interface MilestoneSuggestion {
  /** 1-based, in the order of the text; accepting refers to suggestions by it. */
  index: number;
  /** The measure, without its marker ("一是", "1.") and closing punctuation. */
  title: string;
  /** 'YYYY-MM-DD'. */
  dueDate: string;
  /** 'stated': the measure's own words date it; 'spread': spread before the item's deadline. */
  source: 'stated' | 'spread';
  /** The words that date it ("6月底前"), for a stated date. */
  deadlineText: string | null;
}

export interface SuggestMilestonesOptions {
  /** The school year's dates for "开学前", "寒假前" … (see SchoolCalendar). */
  schoolCalendar?: Partial<SchoolCalendar>;
  /**
   * The first date a milestone may fall on, 'YYYY-MM-DD' (e.g. today); a date before it is moved
   * to it. Default: 1 January of the plan year.
   */
  from?: string;
  /** Moves a spread date to a working day (e.g. the previous one); default: unchanged. */
  adjust?: (date: string) => string;
  /** At most this many suggestions, the first ones of the text. Default 12. */
  limit?: number;
}

/** Milestone titles are at most this long (the milestone title limit is larger). */
const TITLE_MAX = 100;
/** A measure shorter than this is a fragment, not a measure. */
const MIN_MEASURE = 4;

const SHI_MARKER = /(?:^|(?<=[。；;，,：:\s]))[一二三四五六七八九十]{1,2}是/g;
const NUMBER_MARKER =
  /(?:^|(?<=[。；;：:\s]))(?:[0-9０-９]{1,2}[.．、)）](?![0-9０-９])|[（(][0-9０-９]{1,2}[）)]|[①-⑳])/g;
/** A note that closes an item ("分管局领导：张三。", "备注：…"): no measure. */
const NOTE =
  /^(?:(?:分管|责任|牵头|联系)局?领导|责任人|负责人|联系人|备注|说明|考核方式|完成时限|完成时间|时间节点)\s*[：:]/;

/**
 * The measures of an item's body as suggested milestones. `itemDueDate` is the item's
 * ('YYYY-MM-DD') deadline and `planYear` the year its wording is dated in. A body of one measure
 * without a date of its own has nothing to suggest.
 */
export function suggestMilestones(
  itemBody: string,
  itemDueDate: string,
  planYear: number,
  options: SuggestMilestonesOptions = {},
): MilestoneSuggestion[] {
  const calendar = schoolCalendarWith(options.schoolCalendar);
  const from = options.from ?? isoDate(planYear, 1, 1)!;
  const adjust = options.adjust ?? ((d: string) => d);
  const limit = options.limit ?? 12;
  const measures = splitMeasures(itemBody)
    .filter((m) => titleOf(m).length >= MIN_MEASURE)
    .slice(0, limit);

  const dated = measures.map((text) => {
    const hints = extractDeadlineHints(text, planYear, calendar);
    // The latest date a measure states: it is done when all of its parts are.
    const hint = [...hints].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).at(-1);
    return { text, hint: hint ?? null };
  });
  if (dated.length === 0 || (dated.length === 1 && dated[0].hint === null)) return [];

  const end = itemDueDate < from ? from : itemDueDate;
  const clamp = (date: string): string => (date < from ? from : date > end ? end : date);
  const dates: (string | null)[] = dated.map((d) => (d.hint ? clamp(d.hint.date) : null));
  // Runs of undated measures share the time between the dates around them; a run at the end
  // finishes on the item's deadline.
  for (let i = 0; i < dates.length;) {
    if (dates[i] !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j < dates.length && dates[j] === null) j++;
    const before = i > 0 ? dates[i - 1]! : null;
    const after = j < dates.length ? dates[j]! : null;
    const start = before ?? from;
    const stop = after !== null && after >= start ? after : end;
    const steps = after === null ? j - i : j - i + 1;
    const span = daysBetween(start, stop);
    for (let k = i; k < j; k++) {
      const offset = Math.round((span * (k - i + 1)) / steps);
      dates[k] = clamp(adjust(addDays(start, offset)));
    }
    i = j;
  }

  const seen = new Set<string>();
  const suggestions: MilestoneSuggestion[] = [];
  dated.forEach((d, i) => {
    const title = titleOf(d.text);
    if (seen.has(title)) return;
    seen.add(title);
    suggestions.push({
      index: suggestions.length + 1,
      title,
      dueDate: dates[i]!,
      source: d.hint ? 'stated' : 'spread',
      deadlineText: d.hint?.text ?? null,
    });
  });
  return suggestions;
}

/** The measures of a text: its "一是…" parts, else its numbered points, else its clauses. */
function splitMeasures(body: string): string[] {
  const text = body.replace(/\s+/g, ' ').trim();
  for (const marker of [SHI_MARKER, NUMBER_MARKER]) {
    const starts = [...text.matchAll(marker)].map((m) => ({ at: m.index, length: m[0].length }));
    if (starts.length < 2) continue;
    const parts = starts.map((s, i) =>
      text.slice(s.at + s.length, i + 1 < starts.length ? starts[i + 1].at : text.length),
    );
    return parts.flatMap(withoutNotes);
  }
  // Sentences, and the "；"-separated clauses of each.
  return text
    .split(/(?<=[。！？!?；;])/)
    .flatMap(withoutNotes)
    .filter((s) => s.length >= MIN_MEASURE);
}

/** A measure without the notes that may close it; none when it is only a note. */
function withoutNotes(part: string): string[] {
  const sentences = part.split(/(?<=[。！？!?])/).filter((s) => !NOTE.test(s.trim()));
  const kept = sentences.join('').trim();
  return kept === '' ? [] : [kept];
}

function titleOf(measure: string): string {
  let title = measure.trim();
  while (title !== '' && /[。；;，,：:、！？!?\s]/.test(title[title.length - 1]))
    title = title.slice(0, -1);
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function daysBetween(from: string, to: string): number {
  return Math.max(0, dayNumber(to) - dayNumber(from));
}

function addDays(date: string, days: number): string {
  const t = new Date((dayNumber(date) + days) * 86_400_000);
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())!;
}
