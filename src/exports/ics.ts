/**
 * An iCalendar (RFC 5545) feed of deadlines, written by hand: CRLF line ends, content lines folded
 * at 75 octets without splitting a character, TEXT values escaped. Pure.
 */

export interface CalendarEvent {
  uid: string;
  /** All-day event on this business date (YYYY-MM-DD). */
  date: string;
  summary: string;
  description: string;
  url: string | null;
  /** Revision of the event; a client replaces its copy when it grows. */
  sequence: number;
  cancelled?: boolean;
}

export interface CalendarFeed {
  name: string;
  description: string;
  /** IANA zone the dates are business dates of (X-WR-TIMEZONE, informational). */
  tz: string;
  stamp: Date;
  events: readonly CalendarEvent[];
}

// Control characters other than the line breaks handled above are not allowed in TEXT.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL_CHARACTERS, '');
}

/**
 * Folds one content line into lines of at most 75 octets (RFC 5545 §3.1); continuation lines
 * start with a space. Characters are never split across lines.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    // The first line holds 75 octets; continuation lines 74 after their leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function basicDate(date: string): string {
  return date.replace(/-/g, '');
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** URIs go out as they are, minus anything that would break the line. */
function uri(value: string): string {
  return value.replace(/[\s"]/g, encodeURIComponent);
}

export function renderCalendar(feed: CalendarFeed): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Duban//督办系统//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    `X-WR-CALDESC:${escapeText(feed.description)}`,
    `X-WR-TIMEZONE:${escapeText(feed.tz)}`,
  ];
  const stamp = utcStamp(feed.stamp);
  for (const e of feed.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(e.date)}`,
      `DTEND;VALUE=DATE:${basicDate(nextDay(e.date))}`,
      `SEQUENCE:${e.sequence}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(e.url ? [`URL:${uri(e.url)}`] : []),
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
