import {
  extractDeadlineHints,
  isoDate,
  parseSmallNumber,
  parseYear,
  toHalfWidthDigits,
} from './deadline-hints.js';
import {
  PlanParseError,
  type ParsedItem,
  type ParsedPlan,
  type ParsedSection,
  type ParseWarning,
} from './plan-document.js';

/*
 * Parser for 年度工作要点 documents given as plain text, one paragraph per line (hard-wrapped
 * text works too: continuation lines are joined without a separator).
 *
 * Outline: classify every line; read the header (doc number, title, issuer, date); decide which
 * numbering level holds the items (the level whose entries carry the responsible units); then
 * walk the body once, building sections and items and collecting warnings.
 */

const NO_ITEMS_MESSAGE = '未识别出任何工作要点条目（如“1.”编号的条目），不是工作要点文档';

/** Labels that introduce responsible units; the lead label comes first in a note. */
const UNIT_LABEL = '(?:责任|牵头|主责|配合|协办|参与|协同|协助)(?:科室|单位|部门|处室)';
/** Other labels that may share a bracket with the units ("完成时限：6月底前"). */
const OTHER_LABEL =
  '(?:完成时限|完成时间|时间节点|时间要求|时限|分管领导|责任领导|责任人|联系人|备注)';
const UNIT_LABEL_RE = new RegExp(`${UNIT_LABEL}\\s*[：:]`);
const ANY_LABEL_RE = new RegExp(`(${UNIT_LABEL}|${OTHER_LABEL})\\s*[：:]`, 'g');
const BRACKETED_UNITS_START = new RegExp(`^[（(]\\s*${UNIT_LABEL}\\s*[：:]`);
/** An unbracketed note starts the text or follows a sentence end, a line break or a space. */
const UNBRACKETED_UNITS = new RegExp(`(^|[。；;！？!?\\s])(${UNIT_LABEL}\\s*[：:])`);
const UNIT_LABEL_ONLY = new RegExp(`^${UNIT_LABEL}$`);
const UNIT_LINE = new RegExp(`^[（(]?\\s*${UNIT_LABEL}\\s*[：:]`);

const CN_NUM = '[一二三四五六七八九十]{1,3}';
const NUM = '[0-9０-９]{1,3}';
const L1_RE = new RegExp(`^(${CN_NUM})\\s*[、．.，,]\\s*(.*)$`);
const PART_RE = new RegExp(
  `^第\\s*(${CN_NUM}|${NUM})\\s*(?:部分|章|篇)\\s*[、：:．.，,]?\\s*(.*)$`,
);
const L2_RE = new RegExp(`^[（(]\\s*(${CN_NUM})\\s*[）)]\\s*[、．.]?\\s*(.*)$`);
const NUMBERED_RE = new RegExp(`^(${NUM})\\s*(?:[.．、]|[)）])(?![0-9０-９])\\s*(.*)$`);
const SUB_POINT_RE = /^(?:[（(]\s*[0-9０-９]{1,2}\s*[）)]|[①-⑳]|[a-zA-Z][.)）])/;

const DATE_TEXT =
  '(\\d{4}|[〇○零一二三四五六七八九]{4})\\s*年\\s*(\\d{1,2}|[一二三四五六七八九十]{1,2})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日';
const DATE_LINE_RE = new RegExp(`^[（(]?${DATE_TEXT}[）)]?$`);
const ORG_TEXT =
  '[\\u4e00-\\u9fa5（）()·\\s]{1,60}?(?:局|委员会|委|政府|厅|办公室|办|中心|部|院|处|科|室|校|公司|会|小组|党委|党组|支部)';
const ORG_LINE_RE = new RegExp(`^${ORG_TEXT}$`);
const ORG_DATE_LINE_RE = new RegExp(`^(${ORG_TEXT})\\s+${DATE_TEXT}$`);
const DOC_NUMBER_RE =
  /[\u4e00-\u9fa5]{1,12}\s*[〔[【（(［]\s*([0-9０-９]{4})\s*[〕\]】）)］]\s*第?\s*[0-9０-９]{1,4}\s*号/;
const FILE_HEADER_RE = /^(.{2,40}?)\s*文件$/;
const PAGE_NUMBER_RE =
  /^(?:[-—–－~～\s]*[0-9０-９]{1,3}[-—–－~～\s]*|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?)$/;
const FOOTER_RE =
  /^(?:抄送|主送|抄报|主题词|联系人|联系电话|[（(]此件|[（(]联系人)|\d\s*日\s*印发$|^[-—_=＝\s]{3,}$/;

const SENTENCE_END = /[。！？!?]/;
const OPENERS = '（(《“‘【[「『';
const CLOSERS = '）)》”’】]」』';

type Kind = 'blank' | 'meta' | 'l1' | 'l2' | 'numbered' | 'sub' | 'units' | 'text';
type ItemLevel = 'numbered' | 'l2' | 'l1';

interface Line {
  /** 1-based. */
  no: number;
  text: string;
  kind: Kind;
  /** The entry's number for l1/l2/numbered lines. */
  number: number;
  /** The text after the numbering. */
  rest: string;
}

interface UnitNote {
  /** The text with the unit notes taken out. */
  text: string;
  units: string[];
  allUnits: boolean;
}

interface Heading {
  title: string | null;
  units: string[];
  allUnits: boolean;
}

interface SectionDraft {
  heading: Heading;
  line: number;
  items: ParsedItem[];
}

interface ItemDraft {
  line: number;
  number: number;
  /** The whole item line, with its number. */
  lineText: string;
  /** Text of the item line (after its number) and of each following line, in order. */
  parts: { text: string; unitLine: boolean }[];
}

export function parsePlanText(text: string): ParsedPlan {
  const lines = classify(text);
  const header = readHeader(lines);
  const body = lines.slice(header.bodyStart);
  const level = itemLevel(body);
  if (level === null) throw new PlanParseError(NO_ITEMS_MESSAGE);
  const { sections, warnings } = new BodyParser(body, level, header.year).run();
  if (sections.every((s) => s.items.length === 0)) throw new PlanParseError(NO_ITEMS_MESSAGE);

  const units: string[] = [];
  for (const section of sections) for (const item of section.items) pushDistinct(units, item.units);
  return {
    plan: {
      title: header.title,
      docNumber: header.docNumber,
      issuer: header.issuer,
      issuedOn: header.issuedOn,
      year: header.year,
    },
    sections,
    units,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Lines

function classify(text: string): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: Line[] = raw.map((r, i) =>
    classifyLine(i + 1, r.replace(/\u200B|\u200C|\u200D|\u2060/g, '').trim()),
  );
  // A signature is the organisation line right before a date line.
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind !== 'meta' || !DATE_LINE_RE.test(lines[i].text)) continue;
    const prev = previousNonBlank(lines, i);
    if (prev !== null && lines[prev].kind === 'text' && ORG_LINE_RE.test(lines[prev].text))
      lines[prev].kind = 'meta';
  }
  return lines;
}

function classifyLine(no: number, text: string): Line {
  const line: Line = { no, text, kind: 'text', number: 0, rest: text };
  if (text === '') return { ...line, kind: 'blank' };
  if (
    DATE_LINE_RE.test(text) ||
    ORG_DATE_LINE_RE.test(text) ||
    PAGE_NUMBER_RE.test(text) ||
    FOOTER_RE.test(text)
  ) {
    return { ...line, kind: 'meta' };
  }
  let m = NUMBERED_RE.exec(text);
  if (m) return { ...line, kind: 'numbered', number: Number(toHalfWidthDigits(m[1])), rest: m[2] };
  m = L2_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null)
    return { ...line, kind: 'l2', number: parseSmallNumber(m[1])!, rest: m[2] };
  m = L1_RE.exec(text) ?? PART_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null && parseSmallNumber(m[1])! <= 30) {
    return { ...line, kind: 'l1', number: parseSmallNumber(m[1])!, rest: m[2] };
  }
  if (SUB_POINT_RE.test(text)) return { ...line, kind: 'sub' };
  if (UNIT_LINE.test(text)) return { ...line, kind: 'units' };
  return line;
}

function previousNonBlank(lines: Line[], i: number): number | null {
  for (let j = i - 1; j >= 0; j--) if (lines[j].kind !== 'blank') return j;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Header: doc number, title, issuer, issue date, year

interface Header {
  title: string | null;
  docNumber: string | null;
  issuer: string | null;
  issuedOn: string | null;
  year: number | null;
  /** Index of the first line of the body (after the title line, if there is one). */
  bodyStart: number;
}

function readHeader(lines: Line[]): Header {
  let firstEntry = lines.findIndex(
    (l) => l.kind === 'l1' || l.kind === 'l2' || l.kind === 'numbered',
  );
  if (firstEntry < 0) firstEntry = lines.length;
  const head = lines.slice(0, firstEntry);

  let titleIndex = -1;
  head.forEach((l, i) => {
    if (l.kind === 'text' && isTitleLine(l.text)) titleIndex = i;
  });
  const title = titleIndex >= 0 ? lines[titleIndex].text : noticeTitleName(head);

  let docNumber: string | null = null;
  for (const l of head) {
    const m = DOC_NUMBER_RE.exec(l.text);
    if (m) {
      docNumber = m[0].trim();
      break;
    }
  }

  const { issuer, issuedOn } = readSignature(lines);
  let year: number | null = null;
  if (title) {
    const m = /(\d{4}|[〇○零一二三四五六七八九]{4})\s*年/.exec(toHalfWidthDigits(title));
    if (m) year = parseYear(m[1]);
  }
  if (year === null && issuedOn) year = Number(issuedOn.slice(0, 4));
  if (year === null && docNumber)
    year = Number(toHalfWidthDigits(DOC_NUMBER_RE.exec(docNumber)![1]));

  return {
    title,
    docNumber,
    issuer,
    issuedOn,
    year,
    bodyStart: titleIndex >= 0 ? titleIndex + 1 : 0,
  };
}

function isTitleLine(text: string): boolean {
  if (text.length > 50 || /[《》]/.test(text) || /^关于/.test(text) || /印发|转发|通知/.test(text))
    return false;
  if (/[。；;：:，,！？]$/.test(text) || DOC_NUMBER_RE.test(text)) return false;
  const keyword = /工作要点|工作计划|工作安排|工作重点|工作任务|要点/;
  if (!keyword.test(text)) return false;
  const hasYear = /(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年/.test(toHalfWidthDigits(text));
  return hasYear || /(?:工作要点|工作计划|工作安排|工作重点|工作任务|要点)$/.test(text);
}

/** The 《…》 name in a notice title such as "关于印发《…》的通知". */
function noticeTitleName(head: Line[]): string | null {
  for (let i = 0; i < head.length; i++) {
    const text = head[i].text;
    const prev = i > 0 ? head[i - 1].text : '';
    const inNoticeTitle = /通知|印发|转发/.test(text) || /关于(?:印发|转发)/.test(prev);
    if (!inNoticeTitle) continue;
    for (const m of text.matchAll(/《([^《》]+)》/g)) {
      if (/要点|计划|安排|重点|任务/.test(m[1])) return m[1].trim();
    }
  }
  return null;
}

function readSignature(lines: Line[]): { issuer: string | null; issuedOn: string | null } {
  const dates: { date: string; issuer: string | null }[] = [];
  lines.forEach((l, i) => {
    let issuer: string | null = null;
    let parts: string[];
    const dateLine = DATE_LINE_RE.exec(l.text);
    if (dateLine) {
      parts = dateLine.slice(1, 4);
      const prev = previousNonBlank(lines, i);
      if (prev !== null && lines[prev].kind === 'meta' && ORG_LINE_RE.test(lines[prev].text))
        issuer = lines[prev].text;
    } else {
      const signed = ORG_DATE_LINE_RE.exec(l.text);
      if (!signed) return;
      issuer = signed[1].trim();
      parts = signed.slice(2, 5);
    }
    const year = parseYear(parts[0]);
    const month = parseSmallNumber(parts[1]);
    const day = parseSmallNumber(parts[2]);
    const date = year !== null && month !== null && day !== null ? isoDate(year, month, day) : null;
    if (date) dates.push({ date, issuer });
  });
  const signed = dates.find((d) => d.issuer !== null);
  const chosen = signed ?? dates[0];
  let issuer = signed?.issuer ?? null;
  if (issuer === null) {
    for (const l of lines.slice(0, 5)) {
      const m = FILE_HEADER_RE.exec(l.text);
      if (m && !/[，。；：]/.test(l.text)) {
        issuer = m[1].trim();
        break;
      }
    }
  }
  return { issuer, issuedOn: chosen?.date ?? null };
}

// ---------------------------------------------------------------------------------------------
// Which numbering level holds the items

/**
 * The items are the "1." entries, unless the "（一）" entries carry the units and the "1." entries
 * under them mostly do not (then the "1." lines are sub-points of "（一）" items). Without "1."
 * and "（一）" entries, "一、" entries are items if they carry units.
 */
function itemLevel(body: Line[]): ItemLevel | null {
  const has = (kind: Kind): boolean => body.some((l) => l.kind === kind);
  if (has('numbered')) {
    if (!has('l2')) return 'numbered';
    const numbered = coverage(body, 'numbered', ['numbered', 'l2', 'l1']);
    const l2 = coverage(body, 'l2', ['l2', 'l1']);
    return numbered < 0.75 * l2 ? 'l2' : 'numbered';
  }
  if (has('l2')) return 'l2';
  if (has('l1') && coverage(body, 'l1', ['l1']) > 0) return 'l1';
  return null;
}

/**
 * Share of `kind` entries that name responsible units in their block: the entry line and the
 * lines after it up to the next entry of one of `ends` (for "（一）" entries, only the lines after).
 */
function coverage(body: Line[], kind: Kind, ends: Kind[]): number {
  let entries = 0;
  let covered = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i].kind !== kind) continue;
    entries++;
    // A "（一）" line's own units are a heading's units, inherited by the "1." items under it.
    let labelled = kind !== 'l2' && UNIT_LABEL_RE.test(body[i].text);
    for (let j = i + 1; j < body.length && !ends.includes(body[j].kind) && !labelled; j++) {
      labelled = UNIT_LABEL_RE.test(body[j].text);
    }
    if (labelled) covered++;
  }
  return entries === 0 ? 0 : covered / entries;
}

// ---------------------------------------------------------------------------------------------
// Body

class BodyParser {
  private readonly sections: SectionDraft[] = [];
  private readonly warnings: ParseWarning[] = [];
  private section: SectionDraft | null = null;
  /** The "（一）"-level heading above the current items, when items are "1." entries. */
  private subheading: Heading | null = null;
  /** The heading a following unit line belongs to, until an item starts. */
  private openHeading: Heading | null = null;
  private item: ItemDraft | null = null;
  private seenItem = false;
  private lastNumber: number | null = null;
  /** True between a heading and the first item under it: numbering may restart at 1. */
  private groupStart = true;
  /** The line each item starts on. */
  private readonly itemLines = new Map<ParsedItem, number>();

  constructor(
    private readonly body: Line[],
    private readonly level: ItemLevel,
    private readonly year: number | null,
  ) {
    this.hasL1 = body.some((l) => l.kind === 'l1');
  }

  private readonly hasL1: boolean;

  run(): { sections: ParsedSection[]; warnings: ParseWarning[] } {
    for (let i = 0; i < this.body.length; i++) this.take(i);
    this.finishItem();
    const kept = this.sections.filter((s) => {
      if (s.items.length === 0 && s.line > this.firstItemLine()) {
        this.warn(s.line, `“${s.heading.title ?? ''}”下没有工作要点条目，该部分已忽略`);
      }
      return s.items.length > 0;
    });
    this.warnings.sort((a, b) => a.line - b.line);
    return {
      sections: kept.map((s, i) => ({ ordinal: i + 1, title: s.heading.title, items: s.items })),
      warnings: this.warnings,
    };
  }

  private firstItemLine(): number {
    for (const s of this.sections) if (s.items.length > 0) return this.itemLines.get(s.items[0])!;
    return Infinity;
  }

  private take(i: number): void {
    const line = this.body[i];
    const kind = this.effectiveKind(line);
    switch (kind) {
      case 'blank':
      case 'meta':
        return;
      case 'item':
        this.startItem(line);
        return;
      case 'section':
        this.startSection(line.no, line.rest);
        return;
      case 'subheading':
        this.finishItem();
        this.subheading = headingOf(line.rest);
        this.openHeading = this.subheading;
        this.groupStart = true;
        return;
      case 'units':
        if (this.item) this.item.parts.push({ text: line.text, unitLine: true });
        else if (this.openHeading) mergeUnits(this.openHeading, readUnitNotes(line.text));
        else this.warn(line.no, `责任单位没有对应的条目，已忽略：“${clip(line.text)}”`);
        return;
      case 'text':
        if (this.isHeadingLine(i)) {
          this.startSection(line.no, line.text);
        } else if (this.item) {
          this.item.parts.push({ text: line.text, unitLine: false });
        } else if (this.seenItem) {
          this.warn(line.no, `无法归入任何条目的内容，已忽略：“${clip(line.text)}”`);
        }
        return;
    }
  }

  /** What a line is, given the level that holds the items. */
  private effectiveKind(
    line: Line,
  ): 'blank' | 'meta' | 'item' | 'section' | 'subheading' | 'units' | 'text' {
    switch (line.kind) {
      case 'blank':
      case 'meta':
      case 'units':
        return line.kind;
      case 'numbered':
        return this.level === 'numbered' ? 'item' : 'text';
      case 'l2':
        if (this.level === 'l2') return 'item';
        if (this.level !== 'numbered') return 'text';
        return this.hasL1 ? 'subheading' : 'section';
      case 'l1':
        return this.level === 'l1' ? 'item' : 'section';
      case 'sub':
      case 'text':
        return 'text';
    }
  }

  /**
   * A heading without numeral: a short line that does not end a sentence or introduce what
   * follows ("…如下："), directly followed by
   * an item (or a "（一）" heading), and not the unfinished end of the current item.
   */
  private isHeadingLine(i: number): boolean {
    const text = this.body[i].text;
    if (this.body[i].kind !== 'text') return false;
    if (
      text.length > 40 ||
      /[。；;，,！？!?、：:]$/.test(text) ||
      UNIT_LABEL_RE.test(text) ||
      !balanced(text)
    )
      return false;
    if (this.item) {
      const last = this.item.parts.at(-1)!.text;
      if (
        !/[。！？!?）)」”』]$/.test(last) ||
        !balanced(this.item.parts.map((p) => p.text).join(''))
      )
        return false;
    }
    for (let j = i + 1; j < this.body.length; j++) {
      const next = this.body[j];
      if (next.kind === 'blank' || next.kind === 'meta') continue;
      const kind = this.effectiveKind(next);
      return kind === 'item' || kind === 'subheading';
    }
    return false;
  }

  private startSection(lineNo: number, text: string): void {
    this.finishItem();
    const heading = headingOf(text);
    this.section = { heading, line: lineNo, items: [] };
    this.sections.push(this.section);
    this.subheading = null;
    this.openHeading = heading;
    this.groupStart = true;
  }

  private startItem(line: Line): void {
    this.finishItem();
    if (!this.section) {
      this.section = {
        heading: { title: null, units: [], allUnits: false },
        line: line.no,
        items: [],
      };
      this.sections.push(this.section);
    }
    this.checkSequence(line);
    this.item = {
      line: line.no,
      number: line.number,
      lineText: line.text,
      parts: [{ text: line.rest, unitLine: false }],
    };
    this.seenItem = true;
    this.openHeading = null;
    this.groupStart = false;
  }

  private checkSequence(line: Line): void {
    const n = line.number;
    const prev = this.lastNumber;
    this.lastNumber = n;
    if (prev === null) {
      if (n !== 1) this.warn(line.no, `条目编号不连续：第一条的编号是${n}`);
      return;
    }
    if (n === prev + 1 || (n === 1 && this.groupStart)) return;
    if (n > prev + 1) this.warn(line.no, `条目编号不连续：第${prev}项之后是第${n}项`);
    else if (n === prev) this.warn(line.no, `条目编号重复：第${n}项出现了两次`);
    else this.warn(line.no, `条目编号顺序有误：第${prev}项之后是第${n}项`);
  }

  private finishItem(): void {
    const draft = this.item;
    if (!draft || !this.section) return;
    this.item = null;
    const { title, body, note } = splitItem(draft);
    let units = note.units;
    let allUnits = note.allUnits;
    if (units.length === 0 && !allUnits) {
      const inherited = [this.subheading, this.section.heading].find(
        (h) => h !== null && (h.units.length > 0 || h.allUnits),
      );
      if (inherited) {
        units = [...inherited.units];
        allUnits = inherited.allUnits;
      }
    }
    if (units.length === 0 && !allUnits) this.warn(draft.line, `第${draft.number}项未写明责任单位`);
    if (title === '') this.warn(draft.line, `第${draft.number}项没有内容`);
    const fullText = draft.parts.map((p) => p.text).reduce(joinText, '');
    const item: ParsedItem = {
      number: draft.number,
      title,
      body,
      units,
      allUnits,
      deadlineHints: extractDeadlineHints(fullText, this.year),
    };
    this.section.items.push(item);
    this.itemLines.set(item, draft.line);
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}

// ---------------------------------------------------------------------------------------------
// Items: title, body, units

function splitItem(draft: ItemDraft): { title: string; body: string; note: UnitNote } {
  const parts = draft.parts;
  const joined = joinParts(parts);
  const note = readUnitNotes(joined);
  const first = readUnitNotes(parts[0].text).text.trim();
  const rest = parts.slice(1).filter((p) => !p.unitLine);
  // A first line without a sentence end, followed by longer text, is the item's title line.
  if (rest.length > 0 && !SENTENCE_END.test(first) && first !== '') {
    const nextLine = rest[0].text;
    if (
      displayWidth(draft.lineText) + 4 <= displayWidth(nextLine) ||
      SUB_POINT_RE.test(nextLine) ||
      NUMBERED_RE.test(nextLine)
    ) {
      const bodyNote = readUnitNotes(joinParts(parts.slice(1)));
      return { title: stripEnd(first), body: bodyNote.text.trim(), note };
    }
  }
  const text = note.text.trim();
  const end = firstSentenceEnd(text);
  if (end < 0) return { title: stripEnd(text), body: '', note };
  return { title: stripEnd(text.slice(0, end)), body: text.slice(end + 1).trim(), note };
}

function joinParts(parts: ItemDraft['parts']): string {
  // A unit line starts on its own line, so an unbracketed note ends where the line ends.
  return parts.reduce((acc, p) => (p.unitLine ? `${acc}\n${p.text}` : joinText(acc, p.text)), '');
}

/** Lines of one paragraph: no separator in Chinese text, a space between two Latin words. */
function joinText(a: string, b: string): string {
  if (a === '') return b;
  return /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? `${a} ${b}` : a + b;
}

/** Index of the first 。！？ outside brackets and quotes (or the first anywhere), else -1. */
function firstSentenceEnd(text: string): number {
  let depth = 0;
  let any = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (OPENERS.includes(c)) depth++;
    else if (CLOSERS.includes(c)) depth = Math.max(0, depth - 1);
    else if (SENTENCE_END.test(c)) {
      if (depth === 0) return i;
      if (any < 0) any = i;
    }
  }
  return any;
}

function stripEnd(text: string): string {
  return text.replace(/[\s。！？!?；;，,：:、]+$/, '').trim();
}

function headingOf(text: string): Heading {
  const note = readUnitNotes(text);
  const title = stripEnd(note.text.replace(/\n/g, ''));
  return { title: title === '' ? null : title, units: note.units, allUnits: note.allUnits };
}

function mergeUnits(target: Heading, note: UnitNote): void {
  pushDistinct(target.units, note.units);
  target.allUnits ||= note.allUnits;
}

/**
 * Takes the responsible-unit notes out of a text: bracketed "（责任科室：A、B）" anywhere, and
 * unbracketed "责任单位：A、B。" at the start, after a sentence end or on its own line.
 */
function readUnitNotes(input: string): UnitNote {
  let text = input;
  const tokens: string[] = [];

  for (let start = findBracketedNote(text); start >= 0; start = findBracketedNote(text)) {
    const end = matchingClose(text, start);
    tokens.push(...noteTokens(text.slice(start + 1, end < 0 ? text.length : end)));
    text = text.slice(0, start) + (end < 0 ? '' : text.slice(end + 1));
  }
  for (let m = UNBRACKETED_UNITS.exec(text); m; m = UNBRACKETED_UNITS.exec(text)) {
    const start = m.index + m[1].length;
    const stop = text.slice(start).search(/[。\n]/);
    const end = stop < 0 ? text.length : start + stop;
    tokens.push(...noteTokens(text.slice(start, end)));
    text =
      text.slice(0, start) + text.slice(end < text.length && text[end] === '。' ? end + 1 : end);
  }

  const units: string[] = [];
  let allUnits = false;
  for (const token of tokens) {
    if (/^(?:局机关|全局|本局|局属|局|机关|区|全区)?(?:各|全体|所有)/.test(token)) allUnits = true;
    else pushDistinct(units, [token]);
  }
  return { text: text.replace(/\n/g, ''), units, allUnits };
}

function findBracketedNote(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if ((text[i] === '（' || text[i] === '(') && BRACKETED_UNITS_START.test(text.slice(i, i + 16)))
      return i;
  }
  return -1;
}

function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '（' || c === '(') depth++;
    else if (c === '）' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Unit names in a note "牵头单位：A；配合单位：B、C；完成时限：…" — lead first. */
function noteTokens(note: string): string[] {
  const labels = [...note.matchAll(ANY_LABEL_RE)];
  const tokens: string[] = [];
  labels.forEach((m, i) => {
    if (!UNIT_LABEL_ONLY.test(m[1])) return;
    const from = m.index + m[0].length;
    const to = i + 1 < labels.length ? labels[i + 1].index : note.length;
    tokens.push(...splitUnits(note.slice(from, to)));
  });
  return tokens;
}

function splitUnits(list: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if (c === '（' || c === '(') depth++;
    if (c === '）' || c === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[、，,；;/／\s]/.test(c)) {
      tokens.push(current);
      current = '';
    } else current += c;
  }
  tokens.push(current);
  return tokens
    .map((t) =>
      t
        .replace(/[（(](?:牵头|主责|配合|协办|参与|协同|负责)[）)]/g, '')
        .replace(/^[\s。.；;，,：:、]+|[\s。.；;，,：:、]+$/g, '')
        .replace(/(.{2,})等$/, '$1'),
    )
    .filter((t) => t !== '');
}

// ---------------------------------------------------------------------------------------------
// Helpers

function pushDistinct(target: string[], values: string[]): void {
  for (const v of values) if (!target.includes(v)) target.push(v);
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '（' || c === '(') depth++;
    else if (c === '）' || c === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += c.charCodeAt(0) > 0xff ? 2 : 1;
  return width;
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
