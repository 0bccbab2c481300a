/*
 * The plan-document package: reads a work-plan document (.txt or .docx) and parses it into a
 * ParsedPlan. Pure library code: no Nest, database or queue imports. The rest of the code base
 * imports it through this file only.
 */
export type {
  DeadlineHint,
  ParsedItem,
  ParsedPlan,
  ParsedSection,
  ParseWarning,
  PlanParseOptions,
  SchoolCalendar,
} from './plan-document.js';
export { PlanDocumentRefusal, PlanOverLimitError, PlanParseError } from './plan-document.js';
export { PLAN_DOCUMENT_LIMITS, type PlanDocumentLimit, type PlanDocumentLimits } from './limits.js';
export { checkFileSize, parsePlanDocument, type ParseBudget } from './parse-plan-document.js';
export { readPlanDocument } from './document-reader.js';
export { parsePlanText } from './plan-parser.js';
export {
  DEFAULT_SCHOOL_CALENDAR,
  extractDeadlineCellHints,
  extractDeadlineHints,
  schoolCalendarWith,
} from './deadline-hints.js';
export {
  suggestMilestones,
  type MilestoneSuggestion,
  type SuggestMilestonesOptions,
} from './milestone-suggestions.js';
export { docxToText, formatNumber, XmlError } from './docx-text.js';
