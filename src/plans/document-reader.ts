import mammoth from 'mammoth';
import { extname } from 'node:path';
import { PlanParseError, type ParsedPlan } from './plan-document.js';
import { parsePlanText } from './plan-parser.js';

const SUPPORTED = '仅支持 .txt（UTF-8、UTF-16 或 GB18030 编码）和 .docx 格式的工作要点文档';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The text of a plan document: .txt in UTF-8 (with or without BOM), UTF-16 with BOM or
 * GB18030; .docx (recognised by its zip content whatever the file is called). Lines are
 * normalised: LF line ends, no leading full-width spaces/NBSP, no trailing spaces.
 * Throws PlanParseError when the file cannot be read as a text document.
 */
export async function readPlanDocument(fileName: string, content: Buffer): Promise<string> {
  const ext = extname(fileName).toLowerCase();
  if (content.length === 0) throw new PlanParseError('文件为空');
  if (startsWith(content, ZIP_MAGIC)) return nonEmpty(normalise(await docxText(content)));
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

/** Reads and parses a plan document; throws PlanParseError for an unreadable or non-plan file. */
export async function parsePlanDocument(fileName: string, content: Buffer): Promise<ParsedPlan> {
  return parsePlanText(await readPlanDocument(fileName, content));
}

async function docxText(content: Buffer): Promise<string> {
  let value: string;
  try {
    ({ value } = await mammoth.extractRawText({ buffer: content }));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const reason = /main document part/i.test(detail)
      ? '压缩包中没有 Word 文档正文（word/document.xml），不是有效的 .docx 文件'
      : '文件已损坏或不是有效的 .docx 文件';
    throw new PlanParseError(`无法读取 .docx 文件：${reason}`);
  }
  // mammoth ends every paragraph with a blank line; one paragraph per line keeps line numbers useful.
  return value.replace(/\n\n/g, '\n');
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
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, '')
    .split('\n')
    .map((line) => line.replace(/^[\s\u3000\u00A0]+/, '').replace(/[\s\u3000\u00A0]+$/, ''))
    .join('\n');
}

function nonEmpty(text: string): string {
  if (text.trim() === '') throw new PlanParseError('文件为空');
  return text;
}

function startsWith(content: Buffer, bytes: number[]): boolean {
  return content.length >= bytes.length && bytes.every((b, i) => content[i] === b);
}
