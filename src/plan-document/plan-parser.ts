import {
  extractDeadlineCellHints,
  extractDeadlineHints,
  schoolCalendarWith,
  hintKey,
  isoDate,
  parseSmallNumber,
  parseYear,
  toHalfWidthDigits,
} from './deadline-hints.js';
import {
  PlanParseError,
  type PlanParseOptions,
  type SchoolCalendar,
  type ParsedItem,
  type ParsedPlan,
  type ParsedSection,
  type ParseWarning,
} from './plan-document.js';

/*
 * Parser for 年度工作要点 documents given as plain text, one paragraph per line (hard-wrapped
 * text works too: continuation lines are joined without a separator).
 *
 * Outline: classify every line; read the header (doc number, title, issuer, date); arrange the
 * numbered entries ("一、", "（一）", "第一条", "1.", "（1）", table rows) in a tree and decide
 * branch by branch which entries are items (the ones that carry the responsible units) and which
 * are headings or sub-points of an item; then walk the body once, building sections and items and
 * collecting warnings.
 */

const NO_ITEMS_MESSAGE = '未识别出任何工作要点条目（如“1.”编号的条目），不是工作要点文档';

const UNIT_ROLES = ['责任', '牵头', '主责', '主办', '负责', '配合', '协办', '参与', '协同', '协助'];
/** Labels that introduce responsible units ("责任科室", "牵头单位", also short "牵头", "配合"). */
const UNIT_LABEL =
  `(?:(?:${UNIT_ROLES.join('|')})(?:科室|单位|部门|处室|股室)|责任主体|` +
  // Short labels only where a word cannot end in them ("压实主体责任：" is no label).
  `(?<![\\u4e00-\\u9fa5])(?:${UNIT_ROLES.join('|')}))`;
const OTHER_LABELS = [
  '完成时限',
  '完成时间',
  '完成期限',
  '时间节点',
  '时间要求',
  '进度安排',
  '时限',
  '分管局领导',
  '分管领导',
  '责任领导',
  '牵头领导',
  '联系领导',
  '责任人',
  '负责人',
  '联系人',
  '备注',
];
/** Other labels that may share a note with the units ("完成时限：6月底前", "责任领导：张三"). */
const OTHER_LABEL = `(?:${OTHER_LABELS.join('|')})`;
/** A unit label as "责任科室：" or "【责任科室】". */
const UNIT_LABEL_RE = new RegExp(`${UNIT_LABEL}\\s*[：:]|【\\s*${UNIT_LABEL}\\s*】`);
const ANY_LABEL_RE = new RegExp(`(${UNIT_LABEL}|${OTHER_LABEL})\\s*[：:]`, 'g');
const NOTE_START_RE = new RegExp(`^\\s*(?:${UNIT_LABEL}|${OTHER_LABEL})\\s*[：:]`);
const BOXED_LABEL_RE = new RegExp(`【\\s*(${UNIT_LABEL}|${OTHER_LABEL})\\s*】\\s*[：:]?`, 'g');
/** A unit label with its colon, matched at one position. */
const UNIT_LABEL_AT = new RegExp(`${UNIT_LABEL}\\s*[：:]`, 'y');
/** The characters a unit label or another label starts with. */
const LABEL_FIRST_CHARS = new Set([...UNIT_ROLES, '责任主体', ...OTHER_LABELS].map((l) => l[0]));
const UNIT_LABEL_ONLY = new RegExp(`^${UNIT_LABEL}$`);
const UNIT_LINE = new RegExp(
  `^[（(【\\[]?\\s*(?:${OTHER_LABEL}\\s*[：:][^。]{0,30}?[；;，,\\s]\\s*)?${UNIT_LABEL}\\s*(?:[：:]|】)`,
);

const CN_NUM = '[一二三四五六七八九十]{1,3}';
/** An item number: "1." … "999." … "12345." (Arabic digits, half- or full-width). */
const NUM = '[0-9０-９]+';
const L1_RE = new RegExp(`^(${CN_NUM})\\s*[、．.，,]\\s*(.*)$`);
const PART_RE = new RegExp(
  `^第\\s*(${CN_NUM}|${NUM})\\s*(?:部分|章|篇)\\s*[、：:．.，,]?\\s*(.*)$`,
);
/** "一是…", "二是…": headings in some plans, sub-points of an item in others. */
const SHI_RE = new RegExp(`^(${CN_NUM})是\\s*(.*)$`);
const ARTICLE_RE = new RegExp(`^第\\s*(${CN_NUM}|${NUM})\\s*条\\s*[、：:．.，,]?\\s*(.*)$`);
const L2_RE = new RegExp(`^[（(]\\s*(${CN_NUM})\\s*[）)]\\s*[、．.]?\\s*(.*)$`);
const PNUM_RE = /^[（(]\s*([0-9０-９]{1,3})\s*[）)]\s*[、．.]?\s*(.*)$/;
const NUMBERED_RE = new RegExp(`^(${NUM})\\s*(?:[.．、]|[)）])(?![0-9０-９])\\s*(.*)$`);
const SUB_POINT_RE = /^(?:[（(]\s*[0-9０-９]{1,3}\s*[）)]|[①-⑳]|[a-zA-Z][.)）])/;

const DATE_TEXT =
  '(\\d{4}|[〇○零一二三四五六七八九]{4})\\s*年\\s*(\\d{1,2}|[一二三四五六七八九十]{1,2})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日';
const DATE_LINE_RE = new RegExp(`^[（(]?${DATE_TEXT}[）)]?$`);
const ORG_TEXT =
  '[\\u4e00-\\u9fa5A-Za-zＡ-Ｚａ-ｚ（）()·\\s]{1,60}?(?:局|委员会|委|政府|厅|办公室|办|中心|部|院|处|科|室|校|公司|会|小组|党委|党组|支部)';
const ORG_LINE_RE = new RegExp(`^${ORG_TEXT}$`);
const ORG_DATE_LINE_RE = new RegExp(`^(${ORG_TEXT})\\s+${DATE_TEXT}$`);
/** The organisation a title starts with: "XX区教育局2023年工作要点". */
const TITLE_ORG_RE = new RegExp(
  `^(${ORG_TEXT})(?=\\s*(?:\\d{4}|[〇○零一二三四五六七八九]{4})\\s*年)`,
);
const DOC_NUMBER_RE =
  /[\u4e00-\u9fa5]{1,12}\s*[〔[【（(［]\s*([0-9０-９]{4})\s*[〕\]】）)］]\s*第?\s*[0-9０-９]{1,4}\s*号/;
const FILE_HEADER_RE = /^(.{2,40}?)\s*文件$/;
const PAGE_NUMBER_RE =
  /^(?:[-—–－~～\s]*[0-9０-９]{1,3}[-—–－~～\s]*|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?)$/;
const FOOTER_RE =
  /^(?:抄送|主送|抄报|主题词|联系人|联系电话|[（(]此件|[（(]联系人)|\d\s*日\s*印发$|^[-—_=＝\s]{3,}$/;

/** Sections that state aims or requirements rather than tasks, when they name no unit. */
const NON_TASK_TITLE =
  /总体要求|指导思想|总体思路|工作思路|基本原则|总体目标|主要目标|工作目标|保障措施|工作要求|组织保障|组织领导|组织实施|工作保障|有关要求|实施步骤/;

const SENTENCE_END = /[。！？!?]/;
const OPENERS = '（(《“‘【[「『〔';
const CLOSERS = '）)》”’】]」』〕';
/** Brackets a note may stand in, by kind; full- and half-width round brackets pair up. */
const NOTE_OPENERS = '（(【[〔';
const BRACKET_KIND: Record<string, string> = {
  '（': '(',
  '(': '(',
  '）': '(',
  ')': '(',
  '【': '【',
  '】': '【',
  '[': '[',
  ']': '[',
  '〔': '〔',
  '〕': '〔',
};

type Kind =
  | 'blank'
  | 'meta'
  | 'l1'
  | 'l2'
  | 'article'
  | 'numbered'
  | 'pnum'
  | 'shi'
  | 'sub'
  | 'units'
  | 'tableHeader'
  | 'row'
  | 'badRow'
  | 'text';

/** Nesting of the entry kinds: a lower rank holds the higher ones. */
const RANK: Partial<Record<Kind, number>> = {
  l1: 0,
  l2: 1,
  article: 2,
  numbered: 3,
  row: 3,
  pnum: 4,
};

/** What a line is in the body, once the entries are arranged. */
type Role = 'section' | 'subheading' | 'item' | 'sectionItem' | 'text';

type Column = 'number' | 'task' | 'detail' | 'lead' | 'co' | 'deadline' | 'category' | 'note';

interface TableHeader {
  columns: Column[];
  /** The column names as written. */
  names: string[];
  /** Names of the columns the parser does not know (kept as notes). */
  unknown: string[];
}

interface RowData {
  task: string;
  /** Further task columns ("具体措施"). */
  details: string[];
  units: string[];
  allUnits: boolean;
  /** The "完成时限" cell. */
  deadline: string;
  /** The category ("类别") the row belongs to, given on it or on an earlier row of its group. */
  category: string | null;
  /** Cells kept as notes on the item ("分管领导", "备注", unknown columns). */
  notes: { name: string; value: string }[];
}

interface Line {
  /** 1-based. */
  no: number;
  text: string;
  kind: Kind;
  /** The entry's number for entry lines. */
  number: number;
  /** The text after the numbering. */
  rest: string;
  /** The columns of a table header line. */
  header?: TableHeader;
  /** The cells of a table row. */
  row?: RowData;
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
  /** Warnings about lines that belong to no item; dropped when the section has no items. */
  stray: ParseWarning[];
  /** Opened by a table's category cell. */
  fromCategory?: boolean;
}

interface ItemDraft {
  line: number;
  number: number;
  /** The whole item line, with its number. */
  lineText: string;
  /** Text of the item line (after its number) and of each following line, in order. */
  parts: { text: string; unitLine: boolean }[];
  /** For a table row: its units and its "完成时限" cell. */
  row?: RowData;
}

/**
 * Parses the text of a work plan. `options` say how wording is dated (the school calendar of
 * "9月开学前", "寒假前" …); without them the defaults apply.
 */
export function parsePlanText(text: string, options: PlanParseOptions = {}): ParsedPlan {
  const calendar = schoolCalendarWith(options.schoolCalendar);
  const tableWarnings: ParseWarning[] = [];
  const lines = classify(text, tableWarnings);
  const header = readHeader(lines);
  const body = lines.slice(header.bodyStart);
  const roles = assignRoles(body);
  if (!roles.some((r) => r === 'item' || r === 'sectionItem'))
    throw new PlanParseError(NO_ITEMS_MESSAGE);
  const { sections, warnings } = new BodyParser(
    body,
    roles,
    header.year,
    calendar,
    tableWarnings,
  ).run();
  if (sections.every((s) => s.items.length === 0)) throw new PlanParseError(NO_ITEMS_MESSAGE);

  const units = new Set<string>();
  for (const section of sections)
    for (const item of section.items) for (const u of item.units) units.add(u);
  return {
    plan: {
      title: header.title,
      docNumber: header.docNumber,
      issuer: header.issuer,
      issuedOn: header.issuedOn,
      year: header.year,
    },
    sections,
    units: [...units],
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Lines

function classify(text: string, tableWarnings: ParseWarning[]): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: Line[] = raw.map((r, i) =>
    classifyLine(i + 1, withoutCellBar(r.replace(/\u200B|\u200C|\u200D|\u2060/g, '').trim())),
  );
  // A signature is the organisation line right before a date line.
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].kind !== 'meta' || !DATE_LINE_RE.test(lines[i].text)) continue;
    const prev = previousNonBlank(lines, i);
    if (prev !== null && lines[prev].kind === 'text' && ORG_LINE_RE.test(lines[prev].text))
      lines[prev].kind = 'meta';
  }
  markTableRows(lines, tableWarnings);
  resolveShi(lines);
  return lines;
}

/** "推进… |": a table cell of a web copy that has one cell per line. */
function withoutCellBar(text: string): string {
  const m = /^([^|｜]*?)\s*[|｜]$/.exec(text);
  return m ? m[1] : text;
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
  m = PNUM_RE.exec(text);
  if (m) return { ...line, kind: 'pnum', number: Number(toHalfWidthDigits(m[1])), rest: m[2] };
  m = L2_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null)
    return { ...line, kind: 'l2', number: parseSmallNumber(m[1])!, rest: m[2] };
  m = L1_RE.exec(text) ?? PART_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null && parseSmallNumber(m[1])! <= 30) {
    return { ...line, kind: 'l1', number: parseSmallNumber(m[1])!, rest: m[2] };
  }
  m = ARTICLE_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null)
    return { ...line, kind: 'article', number: parseSmallNumber(m[1])!, rest: m[2] };
  m = SHI_RE.exec(text);
  if (m && parseSmallNumber(m[1]) !== null)
    return { ...line, kind: 'shi', number: parseSmallNumber(m[1])!, rest: m[2] };
  if (SUB_POINT_RE.test(text)) return { ...line, kind: 'sub' };
  if (UNIT_LINE.test(text)) return { ...line, kind: 'units' };
  const header = tableColumns(text);
  if (header) return { ...line, kind: 'tableHeader', header };
  return line;
}

function previousNonBlank(lines: Line[], i: number): number | null {
  for (let j = i - 1; j >= 0; j--) if (lines[j].kind !== 'blank') return j;
  return null;
}

/**
 * "一是…" lines are headings when each one is followed by the entries it heads ("1、…") and the
 * first one comes before them; otherwise they are sub-points in an item's text.
 */
function resolveShi(lines: Line[]): void {
  const shi = lines.flatMap((l, i) => (l.kind === 'shi' ? [i] : []));
  if (shi.length === 0) return;
  const hasL1 = lines.some((l) => l.kind === 'l1');
  const hasL2 = lines.some((l) => l.kind === 'l2');
  const lower: Kind[] = ['l2', 'article', 'numbered', 'pnum', 'row'];
  // Whether an entry of a lower kind stands between the last "一、" heading and each line.
  const lowerSinceL1: boolean[] = [];
  let seen = false;
  for (const line of lines) {
    lowerSinceL1.push(seen);
    if (line.kind === 'l1') seen = false;
    else if (lower.includes(line.kind)) seen = true;
  }
  const headings =
    !(hasL1 && hasL2) &&
    shi.every((i) => {
      if (/[；;，,：:]$/.test(lines[i].text)) return false;
      let next = i + 1;
      while (next < lines.length && ['blank', 'meta', 'units'].includes(lines[next].kind)) next++;
      if (next >= lines.length || !lower.includes(lines[next].kind)) return false;
      return lines[i].number !== 1 || !lowerSinceL1[i];
    });
  for (const i of shi) lines[i].kind = headings ? (hasL1 ? 'l2' : 'l1') : 'sub';
}

// ---------------------------------------------------------------------------------------------
// Tables (任务分解表): "序号 重点工作任务 主要责任单位 协同配合单位 完成时限" and rows with cells
// separated by tabs, 2+ spaces or "|", or one cell per line as web copies have them

const CATEGORY_HEADER =
  /^(?:类别|类型|分类|项目|板块|领域|重点领域|工作类别|任务类别|项目类别|工作板块|工作领域|所属板块|所属领域)$/;
const NOTE_HEADER =
  /^(?:(?:分管|责任|牵头|联系)局?领导|责任人|负责人|联系人|备注|说明|完成标准|目标要求|预期(?:成效|目标)|成果形式|考核指标|工作目标|目标|评价标准|考核标准|工作要求|具体要求)$/;

function headerColumn(text: string): Column | null {
  const cell = text.replace(/[\s\u3000]+/g, '');
  if (/^(?:序号|编号|序)$/.test(cell)) return 'number';
  if (CATEGORY_HEADER.test(cell)) return 'category';
  if (
    /^(?:主要|牵头)?(?:(?:责任|牵头|主责|负责|主办)(?:单位|科室|部门|处室|股室)|责任主体)/.test(
      cell,
    )
  )
    return 'lead';
  if (
    /^(?:协同|协助)?(?:配合|协办|协同|参与|协助)(?:责任)?(?:单位|科室|部门|处室|股室)?$/.test(cell)
  )
    return 'co';
  if (
    /^(?:(?:完成|截止)?(?:时限|时间|期限|日期)(?:节点|要求|安排)?|时间(?:节点|要求|安排)|进度(?:安排|要求)?)$/.test(
      cell,
    )
  )
    return 'deadline';
  if (NOTE_HEADER.test(cell)) return 'note';
  if (cell.length <= 10 && /任务|内容|事项|要点|举措|措施|项目/.test(cell)) return 'task';
  return null;
}

/** The cells of a line written "| a | b |" or "a | b |". */
function pipeCells(text: string): string[] {
  const cells = text.split(/[|｜]/).map((c) => c.trim());
  if (cells[0] === '') cells.shift();
  if (cells.length > 0 && cells.at(-1) === '') cells.pop();
  return cells;
}

const PIPE = /[|｜]/;
/** "|---|:---:|": the rule under a header in a web copy. */
const PIPE_RULE = /^[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?$/;

function tableColumns(text: string): TableHeader | null {
  const cells = PIPE.test(text)
    ? pipeCells(text)
    : text.split(/[\s\u3000]+/).filter((c) => c !== '');
  return tableHeaderOf(cells);
}

/**
 * The header of a table from its cells; null when they are no task table's header: it needs a
 * task column and a unit column, and at most one unknown column for every two known ones (an
 * unknown column is kept, its cells as notes, and warned about).
 */
function tableHeaderOf(cells: string[]): TableHeader | null {
  if (cells.length < 2 || cells.length > 12) return null;
  const columns: Column[] = [];
  const unknown: string[] = [];
  for (const cell of cells) {
    if (cell === '' || cell.length > 12 || /[。；;，,：:！？!?、]/.test(cell)) return null;
    let column = headerColumn(cell);
    if (column === null) {
      unknown.push(cell);
      column = 'note';
    }
    if (column === 'task' && columns.includes('task')) column = 'detail';
    if (column === 'category' && columns.includes('category')) column = 'note';
    columns.push(column);
  }
  const known = cells.length - unknown.length;
  const hasUnits = columns.includes('lead') || columns.includes('co');
  if (!columns.includes('task') || !hasUnits) return null;
  if (unknown.length > 0 && (known < 3 || unknown.length * 2 > known)) return null;
  return { columns, names: cells.map((c) => c.replace(/[\s\u3000]+/g, '')), unknown };
}

type RowResult = { number: number | null; data: RowData; ragged: string | null } | 'bad' | null;

/**
 * Marks the rows of the task tables and collects what is wrong with them. A header repeated at
 * the top of every page is skipped; a category cell given only on the first row of its group
 * holds for the rows after it.
 */
function markTableRows(lines: Line[], warnings: ParseWarning[]): void {
  let table: TableHeader | null = null;
  /** Rows of the table are written one per line (not one cell per line). */
  let rowsInLines = false;
  let category: string | null = null;
  let count = 0;
  const mark = (line: Line, row: RowResult): void => {
    if (row === null) return;
    if (row === 'bad') {
      line.kind = 'badRow';
      line.number = Number(toHalfWidthDigits(/^[0-9０-９]*/.exec(line.text)![0]) || 0);
      return;
    }
    count++;
    if (row.data.category !== null) category = row.data.category;
    else row.data.category = category;
    line.kind = 'row';
    line.number = row.number ?? count;
    line.rest = row.data.task;
    line.row = row.data;
    if (row.ragged) warnings.push({ line: line.no, message: row.ragged });
  };
  /** Starts a table at its header line; false for the same header repeated. */
  const begin = (line: Line, header: TableHeader): boolean => {
    if (table !== null && sameHeader(table, header)) {
      line.kind = 'meta';
      return false;
    }
    table = header;
    category = null;
    line.kind = 'tableHeader';
    line.header = header;
    for (const name of header.unknown)
      warnings.push({
        line: line.no,
        message: `表格表头中的“${name}”列无法识别，该列内容已作为备注保留`,
      });
    return true;
  };
  const inGroup = (): boolean => category !== null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.kind === 'tableHeader') {
      begin(line, line.header!);
      rowsInLines = true;
      continue;
    }
    const vertical = verticalHeader(lines, i);
    if (vertical) {
      begin(line, vertical.header);
      line.kind = 'tableHeader';
      for (let j = i + 1; j < i + vertical.length; j++) lines[j].kind = 'meta';
      i = verticalRows(lines, i + vertical.length, vertical.header, mark, inGroup) - 1;
      rowsInLines = false;
      continue;
    }
    if (table === null || !rowsInLines || (line.kind !== 'text' && line.kind !== 'numbered'))
      continue;
    if (PIPE_RULE.test(line.text)) {
      line.kind = 'meta';
      continue;
    }
    const header: TableHeader = table;
    let cells: string[];
    let layout: CellLayout;
    if (PIPE.test(line.text)) {
      cells = pipeCells(line.text);
      layout = 'pipe';
    } else if (line.text.includes('\t')) {
      cells = line.text.split('\t').map((c) => c.trim());
      layout = 'tab';
    } else if (/[ \u3000]{2,}/.test(line.text)) {
      cells = line.text.split(/[ \u3000]{2,}/).map((c) => c.trim());
      layout = 'space';
    } else {
      // "1 推进…": a row whose cells cannot be told apart.
      const numberFirst = header.columns[0] === 'number' && line.kind === 'text';
      if (numberFirst && /^[0-9０-９]+[ \u3000]\S/.test(line.text)) mark(line, 'bad');
      continue;
    }
    const row = rowFromCells(cells, header, layout, inGroup());
    // A numbered item that happens to hold a tab stays an item.
    if (row !== 'bad' || line.kind === 'text') mark(line, row);
  }
}

function sameHeader(a: TableHeader, b: TableHeader): boolean {
  return a.names.length === b.names.length && a.names.every((n, i) => n === b.names[i]);
}

/**
 * A table header whose cells stand one per line, as web copies have them: its header and how
 * many lines it takes. It starts with a column name the parser knows.
 */
function verticalHeader(lines: Line[], i: number): { header: TableHeader; length: number } | null {
  const first = lines[i];
  if (first.kind !== 'text' || first.text.length > 12 || headerColumn(first.text) === null)
    return null;
  const cells: string[] = [];
  for (let j = i; j < lines.length && j < i + 12; j++) {
    const text = lines[j].text;
    if (lines[j].kind !== 'text' || text.length > 12 || /[。；;，,：:！？!?、]/.test(text)) break;
    // An unknown column name only between known ones.
    if (headerColumn(text) === null) {
      const next = lines[j + 1];
      if (next === undefined || next.kind !== 'text' || headerColumn(next.text) === null) break;
    }
    cells.push(text);
  }
  if (cells.length < 3) return null;
  const header = tableHeaderOf(cells);
  return header ? { header, length: cells.length } : null;
}

/**
 * Rows of a table read one cell per line: a row starts with its number and has one line per
 * column (an empty cell is an empty line); it runs to the next row's number, which is the next
 * greater number — rows picked out of a larger table skip numbers — found where a whole row, or
 * a row without its category cell, ends, else within a few lines (a task cell of several
 * paragraphs). Without a number column every row has one line per column. A header repeated on
 * a new page is skipped. Returns the index of the first line after the table.
 */
function verticalRows(
  lines: Line[],
  start: number,
  header: TableHeader,
  mark: (line: Line, row: RowResult) => void,
  inGroup: () => boolean,
): number {
  const columns = header.columns;
  const width = columns.length;
  const numberColumn = columns.indexOf('number');
  const valueAt = (j: number): number | null =>
    j < lines.length && NUMBER_CELL.test(lines[j].text)
      ? Number(toHalfWidthDigits(lines[j].text).replace(/\D/g, ''))
      : null;
  const repeatAt = (j: number): boolean =>
    j + width <= lines.length && header.names.every((n, k) => lines[j + k].text === n);
  /** A line that starts an entry of the outline ends the table. */
  const outlineAt = (j: number): boolean =>
    j < lines.length && RANK[lines[j].kind] !== undefined && lines[j].kind !== 'numbered';
  let i = start;
  const skipBlank = (): void => {
    while (i < lines.length && lines[i].kind === 'blank') i++;
  };
  skipBlank();
  while (i < lines.length) {
    if (repeatAt(i)) {
      for (let j = i; j < i + width; j++) lines[j].kind = 'meta';
      i += width;
      skipBlank();
      continue;
    }
    let end: number;
    if (numberColumn === 0) {
      const n = valueAt(i);
      if (n === null) break;
      const next = (j: number): boolean => {
        const v = valueAt(j);
        return (v !== null && v > n) || repeatAt(j);
      };
      const ends = columns.includes('category') ? [i + width, i + width - 1] : [i + width];
      end = ends.find(next) ?? -1;
      for (let j = i + 2; end < 0 && j < Math.min(i + width + 8, lines.length); j++) {
        if (outlineAt(j)) break;
        if (next(j)) end = j;
      }
    } else {
      if (lines[i].kind !== 'text' && lines[i].kind !== 'blank') break;
      if (numberColumn > 0 && valueAt(i + numberColumn) === null) break;
      end = -1;
    }
    if (end < 0) {
      end = Math.min(i + width, lines.length);
      for (let j = i + 1; j < end; j++) if (outlineAt(j)) end = j;
    }
    const cells = lines.slice(i, end).map((l) => l.text);
    const row = rowFromCells(cells, header, 'lines', inGroup());
    if (row === null || row === 'bad') {
      if (numberColumn !== 0) break;
      mark(lines[i], row);
    } else mark(lines[i], row);
    for (let j = i + 1; j < end; j++) lines[j].kind = 'meta';
    i = end;
    skipBlank();
  }
  return i;
}

const NUMBER_CELL = /^[0-9０-９]+[.．、]?$/;

type CellLayout = 'tab' | 'space' | 'pipe' | 'lines';

/**
 * A row from its cells; 'bad' for a row that cannot be read, null for no row at all. A row with
 * more or fewer cells than the header is read as far as it can be, and `ragged` says so.
 */
function rowFromCells(
  input: string[],
  header: TableHeader,
  layout: CellLayout,
  inGroup: boolean,
): RowResult {
  const { columns } = header;
  let cells = input;
  const numberColumn = columns.indexOf('number');
  const categoryColumn = columns.indexOf('category');
  // "类别 序号 …" rows after the first of their group start with the number.
  if (
    categoryColumn >= 0 &&
    numberColumn === categoryColumn + 1 &&
    NUMBER_CELL.test(cells[categoryColumn] ?? '') &&
    !NUMBER_CELL.test(cells[numberColumn] ?? '')
  )
    cells = [...cells.slice(0, categoryColumn), '', ...cells.slice(categoryColumn)];
  if (numberColumn >= 0 && !NUMBER_CELL.test(cells[numberColumn] ?? '')) {
    return numberColumn === 0 && /^[0-9０-９]/.test(cells[0]) ? 'bad' : null;
  }
  if (numberColumn < 0 && cells.filter((c) => c !== '').length < 2) return null;
  let ragged: string | null = null;
  let mapped = fitCells(cells, columns, layout, inGroup);
  if (mapped === null) {
    // A ragged row: read the cells in the order of the columns, keep what fits.
    mapped = columns.map((column, i) => {
      const c = cells[i] ?? '';
      return fits([c], [column]) ? c : '';
    });
    const lost = cells.slice(columns.length).filter((c) => c !== '');
    ragged =
      lost.length > 0
        ? `表格行的单元格比表头的${columns.length}列多，已按列的顺序读取，多出的“${clip(lost.join(' '))}”已忽略`
        : `表格行的单元格与表头的${columns.length}列对不上，已按列的顺序读取`;
  }
  const cell = (column: Column): string[] =>
    columns.flatMap((c, i) => (c === column && mapped[i] !== '' ? [mapped[i]] : []));
  const [task = '', ...more] = cell('task');
  if (task === '' || NUMBER_CELL.test(task)) return 'bad';
  const note = unitsOf([...cell('lead'), ...cell('co')].flatMap(cellTokens));
  const number =
    numberColumn >= 0 ? Number(toHalfWidthDigits(mapped[numberColumn]).replace(/\D/g, '')) : null;
  return {
    number,
    ragged,
    data: {
      task,
      details: [...more, ...cell('detail')],
      units: note.units,
      allUnits: note.allUnits,
      deadline: cell('deadline').join('；'),
      category: cell('category')[0] ?? null,
      notes: columns.flatMap((c, i) =>
        c === 'note' && mapped[i] !== '' ? [{ name: header.names[i], value: mapped[i] }] : [],
      ),
    },
  };
}

/**
 * The cells arranged by column; with fewer cells, the empty columns are the ones that fit best
 * (in a table whose rows give their category only on the first row of a group, the category
 * cell is the one missing).
 */
function fitCells(
  cells: string[],
  columns: Column[],
  layout: CellLayout,
  inGroup: boolean,
): string[] | null {
  if (cells.length > columns.length) {
    const extra = cells.slice(columns.length);
    if (layout !== 'space' && layout !== 'lines' && extra.every((c) => c === ''))
      return fitCells(cells.slice(0, columns.length), columns, layout, inGroup);
    // A task text with wide spaces or a tab, or of several paragraphs, fell apart: join it again.
    const task = columns.indexOf('task');
    const k = cells.length - columns.length;
    const joined = [
      ...cells.slice(0, task),
      cells.slice(task, task + k + 1).join(layout === 'space' ? ' ' : ''),
      ...cells.slice(task + k + 1),
    ];
    return fits(joined, columns) ? joined : null;
  }
  if (cells.length === columns.length) return fits(cells, columns) ? cells : null;
  const missing = columns.length - cells.length;
  const candidates: string[][] = [];
  if (layout === 'space') {
    // Wide spaces hide empty cells: try leaving out optional columns.
    const optional = columns.flatMap((c, i) =>
      ['co', 'deadline', 'note', 'detail', 'category'].includes(c) ? [i] : [],
    );
    for (const skipped of combinations(optional, missing)) {
      const skip = new Set(skipped);
      const arranged: string[] = [];
      let next = 0;
      for (let i = 0; i < columns.length; i++) arranged.push(skip.has(i) ? '' : cells[next++]);
      candidates.push(arranged);
    }
  } else {
    const pad = (row: string[]): string[] => [
      ...row,
      ...Array<string>(columns.length - row.length).fill(''),
    ];
    const category = columns.indexOf('category');
    // Trailing empty cells may be cut off; a grouped row lacks its category cell.
    const withoutCategory =
      category >= 0 ? pad([...cells.slice(0, category), '', ...cells.slice(category)]) : null;
    if (withoutCategory && inGroup) candidates.push(withoutCategory);
    candidates.push(pad(cells));
    if (withoutCategory && !inGroup) candidates.push(withoutCategory);
  }
  let best: { cells: string[]; score: number } | null = null;
  for (const arranged of candidates) {
    if (!fits(arranged, columns)) continue;
    const score = arranged.filter((c, i) => c !== '' && fitsStrictly(c, columns[i])).length;
    if (best === null || score > best.score) best = { cells: arranged, score };
  }
  return best?.cells ?? null;
}

/** The subsets of `size` values, in lexicographic order; a table has at most 12 columns. */
function* combinations(values: number[], size: number): Generator<number[]> {
  if (size > values.length) return;
  const at = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    yield at.map((i) => values[i]);
    let i = size - 1;
    while (i >= 0 && at[i] === values.length - size + i) i--;
    if (i < 0) return;
    at[i]++;
    for (let j = i + 1; j < size; j++) at[j] = at[j - 1] + 1;
  }
}

function fits(cells: string[], columns: Column[]): boolean {
  return cells.every((c, i) => {
    switch (columns[i]) {
      case 'number':
        return NUMBER_CELL.test(c);
      case 'task':
        return c !== '' && !NUMBER_CELL.test(c);
      case 'lead':
      case 'co':
        return c === '' || (c.length <= 60 && !(looksLikeDeadline(c) && !/[、，,；;]/.test(c)));
      case 'category':
        return c === '' || (c.length <= 30 && !NUMBER_CELL.test(c));
      case 'deadline':
      case 'detail':
      case 'note':
        return true;
    }
  });
}

function fitsStrictly(cell: string, column: Column): boolean {
  if (column === 'deadline') return looksLikeDeadline(cell);
  if (column === 'lead' || column === 'co') return !looksLikeDeadline(cell) && cell.length <= 30;
  if (column === 'category') return cell.length <= 15 && !SENTENCE_END.test(cell);
  // Text is better placed in a column the row is read for.
  return column !== 'note' && column !== 'detail';
}

/** Characters without which no wording is a deadline. */
const DEADLINE_CHARS = /[0-9０-９年月季期假学底内日号长持常按每]/;

function looksLikeDeadline(cell: string): boolean {
  if (!DEADLINE_CHARS.test(cell)) return false;
  return (
    extractDeadlineCellHints(cell, 2000).length > 0 ||
    /^(?:长期|持续|常态|全年|年内|按要求|按时|每[年学季月周])/.test(cell)
  );
}

/** Unit names in a table cell: "A、B" or "牵头：A；配合：B". */
function cellTokens(cell: string): string[] {
  return NOTE_START_RE.test(cell) ? noteTokens(cell) : splitUnits(cell);
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
  let firstEntry = lines.findIndex((l) => RANK[l.kind] !== undefined || l.kind === 'tableHeader');
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

  const signature = readSignature(lines);
  const { issuedOn } = signature;
  let { issuer } = signature;
  if (issuer === null && title !== null) {
    // Without signature and "…文件" header, the organisation the title names issued the plan.
    const m = TITLE_ORG_RE.exec(title);
    if (m) issuer = m[1].trim();
  }
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
// Which entries are items

interface EntryNode {
  index: number;
  line: Line;
  rank: number;
  children: EntryNode[];
  /** Index of the first line after the entry's block (its own lines and its children's). */
  end: number;
}

type Vote = 'children' | 'parent';

/**
 * The role of every body line. The entries form a tree ("一、" holds "（一）", which holds "1.",
 * which holds "（1）"). An entry whose children are items is a heading; otherwise it is an item and
 * its children are sub-points in its text. This is decided per branch, from where the responsible
 * units are written: "（一）" entries whose "1." children each name units are headings, "（一）"
 * entries whose units follow the last "1." sub-point are items. Branches that do not tell follow
 * the other branches of the document.
 */
function assignRoles(body: Line[]): Role[] {
  const roles: Role[] = body.map(() => 'text');
  const unitCount: number[] = [0];
  for (const line of body) unitCount.push(unitCount.at(-1)! + (lineHasUnits(line) ? 1 : 0));
  const hasUnits = (from: number, to: number): boolean => unitCount[to] - unitCount[from] > 0;

  const nodes: EntryNode[] = [];
  const roots: EntryNode[] = [];
  const stack: EntryNode[] = [];
  body.forEach((line, index) => {
    const rank = RANK[line.kind];
    if (rank === undefined) return;
    while (stack.length > 0 && stack.at(-1)!.rank >= rank) stack.pop()!.end = index;
    const parent = stack.at(-1);
    // "（1）" under a "1." item is a sub-point.
    if (line.kind === 'pnum' && parent !== undefined && parent.rank >= RANK.numbered!) return;
    const node: EntryNode = { index, line, rank, children: [], end: body.length };
    (parent ? parent.children : roots).push(node);
    stack.push(node);
    nodes.push(node);
  });

  /** How a branch tells: strongly, weakly (units bracketed on the last sub-point only) or not. */
  const vote = (n: EntryNode): { vote: Vote; strong: boolean } | null => {
    const kids = n.children;
    const strong = (v: Vote): { vote: Vote; strong: boolean } => ({ vote: v, strong: true });
    if (kids.some((k) => k.line.kind === 'row')) return strong('children');
    // "…，重点做好以下工作：" introduces sub-points.
    if (/[：:]$/.test(readUnitNotes(n.line.rest).text.trim())) return strong('parent');
    // Sub-points start at 1 under each item; items may be numbered through the document.
    if (kids[0].line.number > 1) return strong('children');
    const own = kids.map((k) => hasUnits(k.index, k.end));
    // "（一）…（牵头单位：…）" over "1."/"2." lines that name none: the heading is the item, its
    // lines are its sub-points.
    if (hasUnits(n.index, kids[0].index) && !own.some(Boolean)) return strong('parent');
    if (own.every(Boolean)) return strong('children');
    const last = kids.at(-1)!;
    const onlyLast = own.at(-1) && own.slice(0, -1).every((u) => !u);
    if (kids.length < 2 || !onlyLast || hasUnits(n.index, kids[0].index)) return null;
    // A note on the last line may as well be that line's own. A unit line after the last
    // sub-point closes the whole entry, unless the entries of the plan have their units on a
    // line of their own anyway.
    if (lineHasUnits(last.line)) return { vote: 'parent', strong: false };
    const style = noteStyle(last.line.kind);
    return { vote: 'parent', strong: style.sameLine > style.ownLine };
  };
  /** How often entries of a kind have their units on the entry line, or on a line after it. */
  const noteStyles = new Map<Kind, { sameLine: number; ownLine: number }>();
  for (const n of nodes) {
    const style = noteStyles.get(n.line.kind) ?? { sameLine: 0, ownLine: 0 };
    if (lineHasUnits(n.line)) style.sameLine++;
    else if (hasUnits(n.index + 1, n.children[0]?.index ?? n.end)) style.ownLine++;
    noteStyles.set(n.line.kind, style);
  }
  const noteStyle = (kind: Kind): { sameLine: number; ownLine: number } =>
    noteStyles.get(kind) ?? { sameLine: 0, ownLine: 0 };
  const votes = new Map<EntryNode, { vote: Vote; strong: boolean } | null>();
  /** Branches are alike when their entries and first sub-entries are of the same kinds. */
  const branchKind = (n: EntryNode): string => `${n.line.kind}>${n.children[0].line.kind}`;
  const tally = (strong: boolean): Map<string, Record<Vote, number>> => {
    const counts = new Map<string, Record<Vote, number>>();
    for (const [n, v] of votes) {
      if (v === null || v.strong !== strong) continue;
      const t = counts.get(branchKind(n)) ?? { children: 0, parent: 0 };
      t[v.vote]++;
      counts.set(branchKind(n), t);
    }
    return counts;
  };
  for (const n of nodes) if (n.rank > 0 && n.children.length > 0) votes.set(n, vote(n));
  const strongTally = tally(true);
  const weakTally = tally(false);
  /** Branches that do not tell strongly follow the alike branches that do. */
  const childrenAreItems = (n: EntryNode): boolean => {
    const v = votes.get(n);
    if (v?.strong) return v.vote === 'children';
    const t = strongTally.get(branchKind(n));
    if (t && t.children !== t.parent) return t.children > t.parent;
    if (v) return v.vote === 'children';
    const w = weakTally.get(branchKind(n));
    if (w && w.children !== w.parent) return w.children > w.parent;
    // Nothing tells: "1." entries are items, "（1）" entries sub-points.
    return n.children[0].line.kind !== 'pnum';
  };

  const onlyL1 = nodes.every((n) => n.rank === 0);
  const l1Items = onlyL1 && nodes.some((n) => hasUnits(n.index, n.end));
  const docHasUnits = hasUnits(0, body.length);
  const resolve = (n: EntryNode, underHeading: boolean): void => {
    if (n.children.length === 0) {
      if (n.rank > 0 || l1Items) roles[n.index] = 'item';
      else if (!onlyL1 && hasUnits(n.index, n.end)) roles[n.index] = 'sectionItem';
      else roles[n.index] = 'section';
      return;
    }
    if (n.rank === 0) {
      roles[n.index] = 'section';
      const title = headingOf(n.line.rest).title ?? '';
      // "一、总体要求" / "四、保障措施" with "（一）…" paragraphs: not tasks.
      const nonTask =
        docHasUnits &&
        !hasUnits(n.index, n.end) &&
        title.length <= 20 &&
        NON_TASK_TITLE.test(title);
      if (!nonTask) for (const c of n.children) resolve(c, true);
    } else if (childrenAreItems(n)) {
      roles[n.index] = underHeading ? 'subheading' : 'section';
      for (const c of n.children) resolve(c, true);
    } else roles[n.index] = 'item';
  };
  for (const root of roots) resolve(root, false);
  return roles;
}

function lineHasUnits(line: Line): boolean {
  if (line.kind === 'row') return line.row!.units.length > 0 || line.row!.allUnits;
  return line.kind !== 'meta' && line.kind !== 'blank' && UNIT_LABEL_RE.test(line.text);
}

// ---------------------------------------------------------------------------------------------
// Body

class BodyParser {
  private readonly sections: SectionDraft[] = [];
  private readonly warnings: ParseWarning[] = [];
  private section: SectionDraft | null = null;
  /** The headings between the section heading and the current items, outermost first. */
  private subheadings: { rank: number; heading: Heading }[] = [];
  /** The heading a following unit line belongs to, until an item starts. */
  private openHeading: Heading | null = null;
  private item: ItemDraft | null = null;
  /** The round brackets of the current item's text so far. */
  private itemBrackets = new BracketBalance();
  private seenItem = false;
  /** The category of the last table row. */
  private category: string | null = null;
  /** The last number of each kind of entry, and the kinds whose numbering may restart at 1. */
  private readonly lastNumber = new Map<Kind, number>();
  private readonly groupStart = new Set<Kind>();
  /** The line each item starts on. */
  private readonly itemLines = new Map<ParsedItem, number>();

  constructor(
    private readonly body: Line[],
    private readonly roles: Role[],
    private readonly year: number | null,
    private readonly calendar: SchoolCalendar,
    tableWarnings: ParseWarning[],
  ) {
    this.warnings.push(...tableWarnings);
  }

  run(): { sections: ParsedSection[]; warnings: ParseWarning[] } {
    for (let i = 0; i < this.body.length; i++) this.take(i);
    this.finishItem();
    const firstItemLine = this.firstItemLine();
    const kept = this.sections.filter((s) => {
      if (s.items.length === 0) {
        if (s.line > firstItemLine)
          this.warn(s.line, `“${s.heading.title ?? ''}”下没有工作要点条目，该部分已忽略`);
        return false;
      }
      for (const w of s.stray) this.warnings.push(w);
      return true;
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
    if (line.kind === 'blank' || line.kind === 'meta') return;
    if (line.kind === 'tableHeader') {
      this.finishItem();
      return;
    }
    if (line.kind === 'badRow') {
      this.finishItem();
      this.warn(line.no, `表格行无法识别，已忽略：“${clip(line.text)}”`);
      // The row's number is taken, so the next row does not seem to skip one.
      if (line.number > 0) this.lastNumber.set('numbered', line.number);
      return;
    }
    switch (this.roles[i]) {
      case 'item':
        this.startItem(line);
        return;
      case 'section':
        this.startSection(line.no, line.rest);
        return;
      case 'sectionItem': {
        const { title } = splitItem({
          line: line.no,
          number: 1,
          lineText: line.text,
          parts: [{ text: line.rest, unitLine: false }],
        });
        this.startSection(line.no, title);
        this.startItem({ ...line, number: 1 }, false);
        return;
      }
      case 'subheading':
        this.startSubheading(line);
        return;
      case 'text':
        this.takeText(i);
        return;
    }
  }

  private takeText(i: number): void {
    const line = this.body[i];
    if (line.kind === 'units') {
      if (this.item) this.addPart(this.item, { text: line.text, unitLine: true });
      else if (this.openHeading) mergeUnits(this.openHeading, readUnitNotes(line.text));
      else this.warn(line.no, `责任单位没有对应的条目，已忽略：“${clip(line.text)}”`);
    } else if (this.isHeadingLine(i)) {
      this.startSection(line.no, line.text);
    } else if (this.item) {
      this.addPart(this.item, { text: line.text, unitLine: false });
    } else if (this.seenItem && this.section) {
      this.section.stray.push({
        line: line.no,
        message: `无法归入任何条目的内容，已忽略：“${clip(line.text)}”`,
      });
    }
  }

  /**
   * A heading without numeral: a short line that does not end a sentence or introduce what
   * follows ("…如下："), directly followed by an item (or a "（一）" heading, or a table of
   * items), and not the unfinished end of the current item.
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
    // A table row is complete in itself.
    if (this.item && !this.item.row) {
      const last = this.item.parts.at(-1)!.text;
      if (!/[。！？!?）)」”』]$/.test(last) || !this.itemBrackets.balanced) return false;
    }
    for (let j = i + 1; j < this.body.length; j++) {
      const next = this.body[j];
      if (next.kind === 'blank' || next.kind === 'meta' || next.kind === 'tableHeader') continue;
      return this.roles[j] === 'item' || this.roles[j] === 'subheading';
    }
    return false;
  }

  private startSection(lineNo: number, text: string): void {
    this.finishItem();
    this.category = null;
    const heading = headingOf(text);
    this.section = { heading, line: lineNo, items: [], stray: [] };
    this.sections.push(this.section);
    this.subheadings = [];
    this.openHeading = heading;
    for (const kind of Object.keys(RANK) as Kind[]) this.groupStart.add(kind);
  }

  private startSubheading(line: Line): void {
    this.finishItem();
    const rank = RANK[line.kind]!;
    this.sequence(line, false);
    const heading = headingOf(line.rest);
    this.subheadings = this.subheadings.filter((h) => h.rank < rank);
    this.subheadings.push({ rank, heading });
    this.openHeading = heading;
    for (const [kind, r] of Object.entries(RANK) as [Kind, number][])
      if (r > rank) this.groupStart.add(kind);
  }

  private startItem(line: Line, numbered = true): void {
    this.finishItem();
    const category = line.row?.category ?? null;
    if (category !== null && category !== this.category) {
      // A table's categories are its sections, unless a heading over the table is the section.
      const s = this.section;
      if (s === null || s.fromCategory || (s.heading.title === null && s.items.length === 0)) {
        this.startSection(line.no, category);
        this.section!.fromCategory = true;
      }
      this.category = category;
    }
    if (!this.section) {
      this.section = {
        heading: { title: null, units: [], allUnits: false },
        line: line.no,
        items: [],
        stray: [],
      };
      this.sections.push(this.section);
    }
    if (numbered) this.sequence(line, true);
    const row = line.row;
    this.item = {
      line: line.no,
      number: line.number,
      lineText: row ? row.task : line.text,
      parts: [],
      row,
    };
    this.itemBrackets = new BracketBalance();
    for (const text of [line.rest, ...(row?.details ?? [])])
      this.addPart(this.item, { text, unitLine: false });
    this.seenItem = true;
    this.openHeading = null;
  }

  private addPart(item: ItemDraft, part: ItemDraft['parts'][number]): void {
    item.parts.push(part);
    this.itemBrackets.add(part.text);
  }

  /** Checks the numbering of items; headings count too, but only items are warned about. */
  private sequence(line: Line, isItem: boolean): void {
    // Table rows and "1." items are numbered alike.
    const kind = line.kind === 'row' ? 'numbered' : line.kind;
    const n = line.number;
    const prev = this.lastNumber.get(kind);
    const restart = this.groupStart.has(kind);
    this.lastNumber.set(kind, n);
    this.groupStart.delete(kind);
    // Rows picked out of a larger table skip numbers: that is no mistake.
    if (!isItem || line.kind === 'row') return;
    if (prev === undefined) {
      if (n !== 1) this.warn(line.no, `条目编号不连续：第一条的编号是${n}`);
      return;
    }
    if (n === prev + 1 || (n === 1 && restart)) return;
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
    if (draft.row) {
      units = [...draft.row.units];
      pushDistinct(units, note.units);
      allUnits ||= draft.row.allUnits;
    }
    if (units.length === 0 && !allUnits) {
      // "由组织科牵头，宣传科配合": units in the item's prose.
      const prose = proseUnits(joinLines(draft.parts.map((p) => p.text)));
      units = prose.units;
      allUnits = prose.allUnits;
    }
    if (units.length === 0 && !allUnits) {
      const inherited = [
        ...this.subheadings.map((h) => h.heading).reverse(),
        this.section.heading,
      ].find((h) => h.units.length > 0 || h.allUnits);
      if (inherited) {
        units = [...inherited.units];
        allUnits = inherited.allUnits;
      }
    }
    if (units.length === 0 && !allUnits) this.warn(draft.line, `第${draft.number}项未写明责任单位`);
    if (title === '') this.warn(draft.line, `第${draft.number}项没有内容`);
    const fullText = joinLines(draft.parts.map((p) => p.text));
    const deadlineHints = extractDeadlineHints(fullText, this.year, this.calendar);
    if (draft.row && draft.row.deadline !== '') {
      const seen = new Set(deadlineHints.map(hintKey));
      for (const hint of extractDeadlineCellHints(draft.row.deadline, this.year, this.calendar)) {
        if (seen.has(hintKey(hint))) continue;
        seen.add(hintKey(hint));
        deadlineHints.push(hint);
      }
    }
    // Cells kept as notes ("分管领导", "备注") close the item's text.
    const notes = (draft.row?.notes ?? []).map((n) => `${n.name}：${stripEnd(n.value)}。`).join('');
    const item: ParsedItem = {
      number: draft.number,
      title,
      body: body + notes,
      units,
      allUnits,
      deadlineHints,
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
  return joinLines(
    parts.map((p) => p.text),
    parts.map((p) => p.unitLine),
  );
}

const LATIN_OR_DIGIT = /^[A-Za-z0-9]$/;

/**
 * Lines of one paragraph: no separator in Chinese text, a space between two Latin words; a line
 * marked in `ownLine` starts on a line of its own (after '\n'). Linear in the total length.
 */
function joinLines(lines: string[], ownLine: boolean[] = []): string {
  const pieces: string[] = [];
  /** The last character of the text so far; '' while the text is empty. */
  let last = '';
  lines.forEach((line, i) => {
    if (ownLine[i]) {
      pieces.push('\n', line);
      last = line === '' ? '\n' : line[line.length - 1];
      return;
    }
    if (line === '') return;
    if (LATIN_OR_DIGIT.test(last) && LATIN_OR_DIGIT.test(line[0])) pieces.push(' ');
    pieces.push(line);
    last = line[line.length - 1];
  });
  return pieces.join('');
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

const TITLE_END = /[\s。！？!?；;，,：:、]/;

function stripEnd(text: string): string {
  return trimChars(text, TITLE_END).trim();
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
 * Takes the responsible-unit notes out of a text: bracketed "（责任科室：A、B）" or
 * "【责任科室：A】" anywhere, and unbracketed "责任单位：A、B。" or "【责任科室】A、B" at the start,
 * after a sentence end or on its own line. Brackets holding only other labels ("（完成时限：…）",
 * "（责任领导：张三）") are taken out too, without units.
 */
function readUnitNotes(input: string): UnitNote {
  // "【责任科室】A、B" is written like "责任科室：A、B" on a line of its own.
  const boxed = input.replace(BOXED_LABEL_RE, (_, label: string) => `\n${label}：`);
  const tokens: string[] = [];

  // One pass each, copying the text between the notes: linear in the length of the text.
  let kept: string[] = [];
  let cursor = 0;
  for (let start = findBracketedNote(boxed); start >= 0; start = findBracketedNote(boxed, cursor)) {
    const end = matchingClose(boxed, start);
    for (const t of noteTokens(boxed.slice(start + 1, end < 0 ? boxed.length : end)))
      tokens.push(t);
    kept.push(boxed.slice(cursor, start));
    cursor = end < 0 ? boxed.length : end + 1;
  }
  kept.push(boxed.slice(cursor));
  const text = kept.join('');

  kept = [];
  cursor = 0;
  const notes = new UnbracketedNotes(text);
  for (let start = notes.next(0); start >= 0;) {
    NOTE_END.lastIndex = start;
    const end = NOTE_END.exec(text)?.index ?? text.length;
    for (const t of noteTokens(text.slice(start, end))) tokens.push(t);
    kept.push(text.slice(cursor, start));
    cursor = end < text.length && text[end] === '。' ? end + 1 : end;
    // The "。" or line break that ends this note may be what the next one follows.
    start = end < text.length ? notes.next(end) : -1;
  }
  kept.push(text.slice(cursor));
  return { text: kept.join('').replace(/\n/g, ''), ...unitsOf(tokens) };
}

const NOTE_END = /[。\n]/g;
/** What an unbracketed note may follow (besides the start of the text). */
const BEFORE_NOTE = new Set([...'。；;！？!?，,']);
/** Separators after another label's value ("时限：6月底前；"). */
const AFTER_VALUE = new Set([...'；;，,']);
const SPACE = /\s/;
const isSpace = (c: string): boolean => SPACE.test(c);

/**
 * Where unbracketed unit notes start: at the start of the text or after a sentence end, a comma,
 * a line break or a space, optionally with labels of people or dates before the unit label
 * ("责任领导：张三；责任科室：…"). These are the matches of
 *   (^|[。；;！？!?，,\s])((?:OTHER_LABEL\s*[：:][^。\n]{0,30}?[；;，,\s]\s*)*UNIT_LABEL\s*[：:])
 * found without a backtracking regex (that one takes exponential time on a line of many
 * "时限：…，" labels): `ahead[s]` tells whether such a note starts at s, computed right to left.
 */
class UnbracketedNotes {
  /** A note (other labels, then a unit label) starts at s. */
  private readonly ahead: Uint8Array;
  /** A note starts at s or after the spaces that begin at s. */
  private readonly afterSpaces: Uint8Array;

  constructor(private readonly text: string) {
    const n = text.length;
    this.ahead = new Uint8Array(n + 1);
    this.afterSpaces = new Uint8Array(n + 1);
    if (!text.includes('：') && !text.includes(':')) return;
    for (let s = n - 1; s >= 0; s--) {
      if (LABEL_FIRST_CHARS.has(text[s]) && (this.unitLabelAt(s) || this.otherLabelAt(s)))
        this.ahead[s] = 1;
      this.afterSpaces[s] = this.ahead[s] || (isSpace(text[s]) && this.afterSpaces[s + 1]) ? 1 : 0;
    }
  }

  /** The start of the first note whose preceding character is at `from` or later, or -1. */
  next(from: number): number {
    const { text, ahead } = this;
    if (from === 0 && ahead[0]) return 0;
    for (let p = from; p + 1 < text.length; p++) {
      if (ahead[p + 1] && (BEFORE_NOTE.has(text[p]) || isSpace(text[p]))) return p + 1;
    }
    return -1;
  }

  private unitLabelAt(s: number): boolean {
    UNIT_LABEL_AT.lastIndex = s;
    return UNIT_LABEL_AT.test(this.text);
  }

  /** "时限：…；" at s, followed by a note. */
  private otherLabelAt(s: number): boolean {
    const { text } = this;
    const label = OTHER_LABELS.find((l) => text.startsWith(l, s));
    if (label === undefined) return false;
    let colon = s + label.length;
    while (colon < text.length && isSpace(text[colon])) colon++;
    if (text[colon] !== '：' && text[colon] !== ':') return false;
    // A value of up to 30 characters without "。" or a line break, then a separator.
    for (let q = colon + 1; q <= colon + 31 && q < text.length; q++) {
      const c = text[q];
      if ((AFTER_VALUE.has(c) || isSpace(c)) && this.afterSpaces[q + 1]) return true;
      if (c === '。' || c === '\n') return false;
    }
    return false;
  }
}

/** A unit's name in prose: a short name ending in what units' names end in. */
const PROSE_UNIT_NAME =
  /^[\u4e00-\u9fa5A-Za-z0-9（）()]{1,20}(?:科|室|处|办|中心|院|校|部|局|组|会|站|所|队|委|馆|团|股|园)$/;
const PROSE_EVERY_UNIT = /^(?:局机关|全局|局属|区|全区)?(?:各|全体|所有)[\u4e00-\u9fa5]{1,12}$/;
const PROSE_LEAD = /^(由|请)?(.+?)(?:牵头|负责|主责|主办)(.*)$/;
const PROSE_CO = /^由?(.+?)(?:等单位|等部门|等)?(?:配合|协助|协同|参与|协办)(?:实施|完成|落实)?$/;
const PROSE_LABELLED = /^(?:(牵头|责任|主责)|配合|协办|协同)(?:单位|科室|部门)(?:为|是)(.+)$/;

/**
 * Units an item names in prose: "由组织科牵头，宣传科、办公室配合", "牵头单位为监察室，配合单位为
 * 组织科", "由人事科负责", "基教科牵头，教研室配合". Clause by clause; a name must look like a
 * unit's ("…科", "…中心", "各学校"), so "由校长负责" names none.
 */
function proseUnits(text: string): { units: string[]; allUnits: boolean } {
  const names = (list: string): string[] | null => {
    const parts = list.split(/[、和及与]/).map((n) => n.trim());
    return parts.length > 0 &&
      parts.every((n) => PROSE_UNIT_NAME.test(n) || PROSE_EVERY_UNIT.test(n))
      ? parts
      : null;
  };
  const clauses = text.split(/[，,。；;！？!?\n]/).map((c) => c.trim());
  const lead: string[] = [];
  const co: string[] = [];
  clauses.forEach((clause, i) => {
    const labelled = PROSE_LABELLED.exec(clause);
    if (labelled) {
      const found = names(labelled[2]);
      if (found) (labelled[1] ? lead : co).push(...found);
      return;
    }
    if (lead.length > 0) return;
    const m = PROSE_LEAD.exec(clause);
    if (!m || (!m[1] && m[3] !== '')) return;
    const found = names(m[2]);
    if (!found) return;
    lead.push(...found);
    const next = PROSE_CO.exec(clauses[i + 1] ?? '');
    const helpers = next ? names(next[1]) : null;
    if (helpers) co.push(...helpers);
  });
  return unitsOf([...lead, ...co]);
}

/** Named units and the "各科室"-style every-unit flag of a list of unit names. */
function unitsOf(tokens: string[]): { units: string[]; allUnits: boolean } {
  const units = new Set<string>();
  let allUnits = false;
  for (const token of tokens) {
    if (/^(?:局机关|全局|本局|局属|局|机关|区|全区|县|全县|市|全市)?(?:各|全体|所有)/.test(token))
      allUnits = true;
    else units.add(token);
  }
  return { units: [...units], allUnits };
}

const NOTE_OPEN_RE = new RegExp(`[${NOTE_OPENERS}]`, 'g');

/** Start of the first bracket from `from` on that holds a note: it opens with a label. */
function findBracketedNote(text: string, from = 0): number {
  NOTE_OPEN_RE.lastIndex = from;
  for (let m = NOTE_OPEN_RE.exec(text); m; m = NOTE_OPEN_RE.exec(text)) {
    if (NOTE_START_RE.test(text.slice(m.index + 1, m.index + 24))) return m.index;
  }
  return -1;
}

function matchingClose(text: string, open: number): number {
  const kind = BRACKET_KIND[text[open]];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (BRACKET_KIND[c] !== kind) continue;
    if (NOTE_OPENERS.includes(c)) depth++;
    else if (--depth === 0) return i;
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
    for (const t of splitUnits(note.slice(from, to))) tokens.push(t);
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
    .map((t) => {
      const name = trimChars(
        t.replace(/[（(](?:牵头|主责|配合|协办|参与|协同|负责)[）)]/g, ''),
        UNIT_NAME_TRIM,
        true,
      );
      // "A、B等": "等" is no part of the last name.
      return name.length >= 3 && name.endsWith('等') ? name.slice(0, -1) : name;
    })
    .filter((t) => t !== '');
}

const UNIT_NAME_TRIM = /[\s。.；;，,：:、]/;

/**
 * The text without the characters of `chars` at its end (and at its start when `start`), in
 * linear time (a regex such as /[…]+$/ rescans a long run of them from every position).
 */
function trimChars(text: string, chars: RegExp, start = false): string {
  let from = 0;
  let to = text.length;
  while (to > 0 && chars.test(text[to - 1])) to--;
  if (start) while (from < to && chars.test(text[from])) from++;
  return text.slice(from, to);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function pushDistinct(target: string[], values: string[]): void {
  const present = new Set(target);
  for (const v of values) {
    if (present.has(v)) continue;
    present.add(v);
    target.push(v);
  }
}

function balanced(text: string): boolean {
  const brackets = new BracketBalance();
  brackets.add(text);
  return brackets.balanced;
}

/** Whether round brackets pair up in a text read piece by piece: none closes before it opens. */
class BracketBalance {
  private depth = 0;
  private broken = false;

  add(text: string): void {
    for (let i = 0; i < text.length && !this.broken; i++) {
      const c = text[i];
      if (c === '（' || c === '(') this.depth++;
      else if ((c === '）' || c === ')') && --this.depth < 0) this.broken = true;
    }
  }

  get balanced(): boolean {
    return !this.broken && this.depth === 0;
  }
}

function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += c.charCodeAt(0) > 0xff ? 2 : 1;
  return width;
}

function clip(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
