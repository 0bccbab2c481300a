import type { PlanDocumentLimit } from './limits.js';

/**
 * The parsed form of a work-plan document (年度工作要点). `JSON.stringify` of a ParsedPlan is the
 * `plan:parse --json` output described in docs/ARCHITECTURE.md (Contracts), so these types carry
 * no other properties.
 */

/** A date the item's own text states, e.g. "6月底前" → 2022-06-30. */
export interface DeadlineHint {
  /** The words as written in the item ("年内", "6月底前"). */
  text: string;
  /** 'YYYY-MM-DD'. */
  date: string;
}

/**
 * The school year's dates that term wording ("9月开学前", "寒假前", "学期末") is dated by, each
 * 'MM-DD'. The day before a term or break starts is the deadline.
 */
export interface SchoolCalendar {
  /** First day of the spring term (春季开学), in the plan year. Default '03-01'. */
  springTermStart: string;
  /** First day of the summer break (暑假), in the plan year. Default '07-01'. */
  summerBreakStart: string;
  /** First day of the autumn term (秋季开学), in the plan year. Default '09-01'. */
  autumnTermStart: string;
  /**
   * First day of the winter break (寒假) after the autumn term: in the year after the plan year
   * when it is earlier in the year than the autumn term start. Default '01-20'.
   */
  winterBreakStart: string;
}

/** How a document is read; every option has a default. */
export interface PlanParseOptions {
  /** The dates "开学前", "寒假前", "学期末" … mean; missing ones take their defaults. */
  schoolCalendar?: Partial<SchoolCalendar>;
}

export interface ParsedItem {
  /** The number as written in the document (1 for "1." and for "（一）"). */
  number: number;
  /** The first sentence, without the number and the terminal punctuation. */
  title: string;
  /** The rest of the item text, without the responsible-unit note; may be ''. */
  body: string;
  /** Named responsible units in document order; the first one leads. */
  units: string[];
  /** True for "各科室、各部门"-style wording: every unit is responsible. */
  allUnits: boolean;
  deadlineHints: DeadlineHint[];
}

export interface ParsedSection {
  /** 1..n in document order. */
  ordinal: number;
  /** null for items that precede every heading. */
  title: string | null;
  items: ParsedItem[];
}

export interface ParseWarning {
  /** 1-based line number in the document text. */
  line: number;
  message: string;
}

export interface ParsedPlan {
  plan: {
    title: string | null;
    docNumber: string | null;
    issuer: string | null;
    /** 'YYYY-MM-DD'. */
    issuedOn: string | null;
    year: number | null;
  };
  sections: ParsedSection[];
  /** Distinct named units of all items, in order of first appearance. */
  units: string[];
  warnings: ParseWarning[];
}

/** A document the importer refuses; the message is one line, in Chinese, saying why. */
export abstract class PlanDocumentRefusal extends Error {}

/** The document cannot be read, or is not a work plan (HTTP 400). */
export class PlanParseError extends PlanDocumentRefusal {
  constructor(message: string) {
    super(message);
    this.name = 'PlanParseError';
  }
}

/** The document is over one of the limits of limits.ts (HTTP 413); `limit` names it. */
export class PlanOverLimitError extends PlanDocumentRefusal {
  constructor(
    message: string,
    readonly limit: PlanDocumentLimit,
  ) {
    super(message);
    this.name = 'PlanOverLimitError';
  }
}
