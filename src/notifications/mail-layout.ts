import { escapeHtml } from '../common/html.js';

/** Closing line of every message Duban sends. */
export const MAIL_FOOTER = '—— 督办系统（本邮件由系统自动发送）';

/** A message rendered for a channel: subject, plain text and HTML from the same content. */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * One line of a message. Plain strings are sentences; the other forms say what the text is, so
 * every channel can set it apart in its own way.
 */
export type MailLine =
  | string
  /** What the message is about (an item's or milestone's title), set apart. */
  | { quote: string }
  /** "截止时间：2026-06-30（…）", the value emphasised. */
  | { field: string; value: string; note?: string }
  /** Text a person wrote (a comment, a report), kept verbatim with its line breaks. */
  | { block: string; label?: string }
  /** The heading of the lines after it (a digest's "已逾期"). */
  | { heading: string }
  /** One entry of a list that links to where to act on it (a task in the web console). */
  | { entry: string; url: string; note?: string };

/** The content of a message, independent of the channel that carries it. */
export interface MailContent {
  subject: string;
  /** "宣传科：" — whom the message addresses. */
  greeting: string;
  /** Groups of lines; groups are separated by a blank line. */
  sections: readonly (readonly MailLine[])[];
  /** Where to act on it (the task in the web console), when known. */
  link?: { label: string; url: string } | null;
}

function lineText(line: MailLine): string {
  if (typeof line === 'string') return line;
  if ('heading' in line) return `【${line.heading}】`;
  if ('entry' in line)
    return `· ${line.entry}${line.note ? `（${line.note}）` : ''}\n  ${line.url}`;
  if ('quote' in line) return `  ${line.quote}`;
  if ('field' in line) return `${line.field}：${line.value}${line.note ? `（${line.note}）` : ''}`;
  if (!line.label) return line.block;
  return line.block.includes('\n')
    ? `${line.label}：\n${line.block}`
    : `${line.label}：${line.block}`;
}

function lineHtml(line: MailLine): string {
  const e = escapeHtml;
  if (typeof line === 'string') return `<p>${e(line)}</p>`;
  if ('heading' in line) {
    return `<h3 style="margin:20px 0 8px;font-size:16px;border-bottom:1px solid #ddd">${e(line.heading)}</h3>`;
  }
  if ('entry' in line) {
    const note = line.note
      ? `<br><span style="color:#666;font-size:13px">${e(line.note)}</span>`
      : '';
    return `<p style="margin:6px 0"><a href="${e(line.url)}">${e(line.entry)}</a>${note}</p>`;
  }
  if ('quote' in line) return `<blockquote><strong>${e(line.quote)}</strong></blockquote>`;
  if ('field' in line) {
    const note = line.note ? `（${e(line.note)}）` : '';
    return `<p>${e(line.field)}：<strong>${e(line.value)}</strong>${note}</p>`;
  }
  const label = line.label ? `<p>${e(line.label)}：</p>` : '';
  return `${label}<blockquote style="white-space:pre-wrap;color:#444">${e(line.block)}</blockquote>`;
}

/** Renders the text and HTML parts. Every value is escaped in the HTML part. */
export function renderMail(content: MailContent): ComposedMail {
  const link = content.link;
  const text = [
    content.greeting,
    '',
    ...content.sections.flatMap((section) => [...section.map(lineText), '']),
    ...(link ? [`${link.label}：${link.url}`, ''] : []),
    MAIL_FOOTER,
  ].join('\n');
  const sections = content.sections.map((section) => section.map(lineHtml).join('')).join('');
  const linkHtml = link
    ? `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`
    : '';
  const html =
    '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1"></head>' +
    "<body style=\"margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.6\">" +
    '<div style="max-width:640px;margin:0 auto">' +
    `<p>${escapeHtml(content.greeting)}</p>${sections}${linkHtml}` +
    `<p style="color:#888">${escapeHtml(MAIL_FOOTER)}</p></div></body></html>`;
  return { subject: content.subject, text, html };
}

/** Markdown for group-robot webhooks; user text is stripped of markdown control characters. */
export function renderMarkdown(content: MailContent): string {
  const plain = (s: string) => s.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
  const line = (l: MailLine): string => {
    if (typeof l === 'string') return plain(l);
    if ('heading' in l) return `#### ${plain(l.heading)}`;
    if ('entry' in l)
      return `- [${plain(l.entry)}](${l.url})${l.note ? `（${plain(l.note)}）` : ''}`;
    if ('quote' in l) return `> **${plain(l.quote)}**`;
    if ('field' in l)
      return `${plain(l.field)}：**${plain(l.value)}**${l.note ? `（${plain(l.note)}）` : ''}`;
    const body = l.block
      .split('\n')
      .map((b) => `> ${plain(b)}`)
      .join('\n');
    return l.label ? `${plain(l.label)}：\n${body}` : body;
  };
  return [
    `### ${plain(content.subject)}`,
    plain(content.greeting),
    ...content.sections.map((s) => s.map(line).join('\n\n')),
    ...(content.link ? [`[${plain(content.link.label)}](${content.link.url})`] : []),
  ].join('\n\n');
}
