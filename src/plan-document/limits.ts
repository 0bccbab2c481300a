import { PlanOverLimitError } from './plan-document.js';

/*
 * The limits on a document the importer reads, in one place. A real work plan (a few dozen pages,
 * a .docx of 20–50 zip entries and well under 1 MB of XML) stays far below every one of them;
 * they exist so that a hostile or broken file is refused with a reason instead of taking the
 * process down.
 */

export interface PlanDocumentLimits {
  /** Size of the file as uploaded. */
  maxFileBytes: number;
  /** Entries in a .docx package, as its central directory declares them. */
  maxZipEntries: number;
  /** Uncompressed size of all entries of a .docx package together, as declared. */
  maxUncompressedBytes: number;
  /** Bytes inflated for the main document part (word/document.xml). */
  maxDocumentPartBytes: number;
  /** Bytes inflated for any other part read (relationships, numbering, styles). */
  maxOtherPartBytes: number;
  /** Nesting of XML elements in a part. */
  maxXmlDepth: number;
  /** Wall-clock time for reading and parsing one document. */
  timeoutMs: number;
  /** Heap of the thread that reads and parses one document, in MB. */
  maxHeapMb: number;
}

export type PlanDocumentLimit = keyof PlanDocumentLimits;

const MB = 1024 * 1024;

export const PLAN_DOCUMENT_LIMITS: Readonly<PlanDocumentLimits> = Object.freeze({
  maxFileBytes: 10 * MB,
  maxZipEntries: 2000,
  maxUncompressedBytes: 50 * MB,
  maxDocumentPartBytes: 20 * MB,
  maxOtherPartBytes: 10 * MB,
  maxXmlDepth: 1000,
  timeoutMs: 30_000,
  maxHeapMb: 512,
});

/** The limits with some replaced; every value must be a positive number. */
export function limitsWith(overrides: Partial<PlanDocumentLimits> = {}): PlanDocumentLimits {
  const limits = { ...PLAN_DOCUMENT_LIMITS };
  for (const [name, value] of Object.entries(overrides) as [PlanDocumentLimit, unknown][]) {
    if (value === undefined) continue;
    if (!(name in PLAN_DOCUMENT_LIMITS)) throw new TypeError(`unknown plan document limit ${name}`);
    if (typeof value !== 'number' || !(value > 0))
      throw new TypeError(`plan document limit ${name} must be a positive number`);
    limits[name] = value;
  }
  return limits;
}

/**
 * The refusal of a document over `limit`, naming the limit; `part` names the package part for
 * the per-part limits.
 */
export function overLimit(
  limit: PlanDocumentLimit,
  limits: PlanDocumentLimits,
  part?: string,
): PlanOverLimitError {
  const value = limits[limit];
  const reasons: Record<PlanDocumentLimit, string> = {
    maxFileBytes: `文件大小超过 ${formatBytes(value)} 的上限`,
    maxZipEntries: `.docx 压缩包内的文件数超过 ${value} 个的上限，不是正常的 Word 文档`,
    maxUncompressedBytes: `.docx 解压后的总大小超过 ${formatBytes(value)} 的上限`,
    maxDocumentPartBytes: `.docx 正文（${part ?? 'word/document.xml'}）解压后超过 ${formatBytes(value)} 的上限`,
    maxOtherPartBytes: `.docx 部件 ${part ?? ''} 解压后超过 ${formatBytes(value)} 的上限`,
    maxXmlDepth: `.docx 的 XML 元素嵌套超过 ${value} 层的上限`,
    timeoutMs: `文档解析超过 ${round(value / 1000)} 秒的时间上限`,
    maxHeapMb: `文档解析所需内存超过 ${value} MB 的上限`,
  };
  return new PlanOverLimitError(`文档超出导入限制：${reasons[limit]}`, limit);
}

/** "10 MB", "512 KB", "300 字节": a byte count as a person reads it. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${round(bytes / MB)} MB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
