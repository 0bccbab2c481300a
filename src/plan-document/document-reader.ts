import { extname, posix } from 'node:path';
import { DocxPackage, ZipError } from './docx-package.js';
import {
  decodeXml,
  docxToText,
  relationshipTarget,
  XmlError,
  type DocxParts,
} from './docx-text.js';
import {
  overLimit,
  PLAN_DOCUMENT_LIMITS,
  type PlanDocumentLimit,
  type PlanDocumentLimits,
} from './limits.js';
import {
  PlanOverLimitError,
  PlanParseError,
  type ParsedPlan,
  type PlanParseOptions,
} from './plan-document.js';
import { parsePlanText } from './plan-parser.js';

const SUPPORTED = '仅支持 .txt（UTF-8、UTF-16 或 GB18030 编码）和 .docx 格式的工作要点文档';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The text of a plan document: .txt in UTF-8 (with or without BOM), UTF-16 with BOM or
 * GB18030; .docx (recognised by its zip content whatever the file is called), one line per
 * paragraph, paragraphs with Word's automatic numbering prefixed with the number Word shows.
 * Lines are normalised: LF line ends, no leading full-width spaces/NBSP, no trailing spaces.
 * Throws PlanParseError when the file cannot be read as a text document, PlanOverLimitError when
 * it is over one of the limits (file size; for a .docx entries, uncompressed size, XML nesting).
 * Runs in the calling thread: the time and memory limits are parsePlanDocument's.
 */
export async function readPlanDocument(
  fileName: string,
  content: Buffer,
  limits: PlanDocumentLimits = PLAN_DOCUMENT_LIMITS,
): Promise<string> {
  const ext = extname(fileName).toLowerCase();
  if (content.length === 0) throw new PlanParseError('文件为空');
  if (content.length > limits.maxFileBytes) throw overLimit('maxFileBytes', limits);
  if (startsWith(content, ZIP_MAGIC)) return nonEmpty(normalise(await docxText(content, limits)));
  if (ext === '.docx')
    throw new PlanParseError('无法读取 .docx 文件：文件内容不是有效的 .docx（zip）格式');
  if (ext !== '.txt' && ext !== '') {
    if (ext === '.doc' || ext === '.wps')
      throw new PlanParseError(
        `不支持 ${ext} 格式，请在 Word/WPS 中另存为 .docx 后导入；${SUPPORTED}`,
      );
    throw new PlanParseError(`不支持 ${ext} 格式；${SUPPORTED}`);
  }
  return nonEmpty(normalise(decodeText(content)));
}

/**
 * Reads and parses a plan document in the calling thread; throws PlanParseError for an
 * unreadable or non-plan file and PlanOverLimitError for one over the limits.
 */
export async function readAndParsePlan(
  fileName: string,
  content: Buffer,
  limits: PlanDocumentLimits = PLAN_DOCUMENT_LIMITS,
  options: PlanParseOptions = {},
): Promise<ParsedPlan> {
  return parsePlanText(await readPlanDocument(fileName, content, limits), options);
}

const NO_MAIN_DOCUMENT = '压缩包中没有 Word 文档正文（word/document.xml），不是有效的 .docx 文件';
const CORRUPT_DOCX = '文件已损坏或不是有效的 .docx 文件';

/**
 * The paragraphs of a .docx, each numbered paragraph prefixed with the number Word shows for it
 * (automatic list numbering included; see docx-text.ts).
 */
async function docxText(content: Buffer, limits: PlanDocumentLimits): Promise<string> {
  let parts: DocxParts;
  try {
    parts = await readDocxParts(content, limits);
  } catch (error) {
    if (error instanceof ZipError) throw unreadableDocx(CORRUPT_DOCX);
    throw error;
  }
  try {
    return docxToText(parts, limits);
  } catch (error) {
    if (error instanceof XmlError) throw unreadableDocx(CORRUPT_DOCX);
    throw error;
  }
}

/** The main document, numbering and styles parts, found through the package relationships. */
async function readDocxParts(content: Buffer, limits: PlanDocumentLimits): Promise<DocxParts> {
  const zip = await DocxPackage.open(content, limits);
  try {
    const read = async (
      path: string | null,
      limit: PlanDocumentLimit = 'maxOtherPartBytes',
    ): Promise<string | null> => {
      const bytes = path === null ? null : await zip.read(path, limit);
      return bytes === null ? null : decodeXml(bytes);
    };
    const target = async (
      relsPath: string,
      type: string,
      folder: string,
    ): Promise<string | null> => {
      const rels = await read(relsPath);
      if (rels === null) return null;
      try {
        return relationshipTarget(rels, type, folder, limits);
      } catch (error) {
        if (error instanceof PlanOverLimitError) throw error;
        return null; // a malformed .rels part: use the usual part names
      }
    };

    let mainPath = await target('_rels/.rels', 'officeDocument', '');
    if (mainPath === null || !zip.has(mainPath)) mainPath = 'word/document.xml';
    const document = await read(mainPath, 'maxDocumentPartBytes');
    if (document === null) throw unreadableDocx(NO_MAIN_DOCUMENT);
    const folder = posix.dirname(mainPath) === '.' ? '' : posix.dirname(mainPath);
    const relsPath = posix.join(folder, '_rels', `${posix.basename(mainPath)}.rels`);
    const partPath = async (type: string): Promise<string> =>
      (await target(relsPath, type, folder)) ?? posix.join(folder, `${type}.xml`);
    return {
      document,
      numbering: await read(await partPath('numbering')),
      styles: await read(await partPath('styles')),
    };
  } finally {
    zip.close();
  }
}

function unreadableDocx(reason: string): PlanParseError {
  return new PlanParseError(`无法读取 .docx 文件：${reason}`);
}

function decodeText(content: Buffer): string {
  if (startsWith(content, [0xff, 0xfe]))
    return checkText(new TextDecoder('utf-16le').decode(content));
  if (startsWith(content, [0xfe, 0xff]))
    return checkText(new TextDecoder('utf-16be').decode(content));
  if (content.includes(0)) throw notText();
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      // TextDecoder drops a UTF-8 BOM by default.
      return checkText(new TextDecoder(encoding, { fatal: true }).decode(content));
    } catch (error) {
      if (error instanceof PlanParseError) throw error;
    }
  }
  throw notText();
}

/** Text files have no NUL and hardly any other control characters. */
function checkText(text: string): string {
  let control = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code === 0) throw notText();
    if (
      (code < 0x20 && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\f') ||
      code === 0x7f ||
      c === '\uFFFD'
    )
      control++;
  }
  if (control > 0 && control > text.length / 100) throw notText();
  return text;
}

function notText(): PlanParseError {
  return new PlanParseError(`不是文本文件（内容含有二进制数据）；${SUPPORTED}`);
}

function normalise(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, '')
      .split('\n')
      // trim() removes exactly \s (full-width space and NBSP included), in linear time.
      .map((line) => line.trim())
      .join('\n')
  );
}

function nonEmpty(text: string): string {
  if (text.trim() === '') throw new PlanParseError('文件为空');
  return text;
}

function startsWith(content: Buffer, bytes: number[]): boolean {
  return content.length >= bytes.length && bytes.every((b, i) => content[i] === b);
}
