import { BUSINESS_TZ } from './config';

const dateTimeFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(instant: Date): Record<string, string> {
  return Object.fromEntries(dateTimeFormat.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** "2026-06-30 18:00" in the business time zone, from an ISO instant the API returned. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The business date of an instant, 'YYYY-MM-DD'. */
export function businessDate(instant: Date | string): string {
  const p = parts(typeof instant === 'string' ? new Date(instant) : instant);
  return `${p.year}-${p.month}-${p.day}`;
}

export function today(): string {
  return businessDate(new Date());
}

/** Whole calendar days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** "还剩 3 天" / "今天截止" / "已逾期 5 天" for a deadline date. */
export function deadlineHint(dueDate: string, overdue: boolean): string {
  const d = daysBetween(today(), dueDate);
  if (overdue) return d < 0 ? `已逾期 ${-d} 天` : '已逾期';
  if (d === 0) return '今天截止';
  if (d < 0) return `已过截止日 ${-d} 天`;
  return `还剩 ${d} 天`;
}

/** The instant a business date ('YYYY-MM-DD') begins in the business time zone, as ISO-8601. */
export function startOfBusinessDay(date: string): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const p = parts(new Date(guess));
  const offset = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`) - guess;
  return new Date(guess - offset).toISOString();
}
