/**
 * What a progress report may carry as attachments, decided by the file name's extension AND by
 * the bytes themselves. Pure: no Nest, no file system; the upload code feeds the bytes in.
 */

export const MAX_ATTACHMENTS = 5;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Longest stored file name, in characters (the extension is kept when a name is shortened). */
export const MAX_FILE_NAME_LENGTH = 200;
/** How many leading bytes the probe keeps for signature checks. */
export const HEAD_BYTES = 4096;

/** How a type's content is recognised. */
type Signature = 'pdf' | 'word' | 'sheet' | 'slides' | 'ole2' | 'jpeg' | 'png' | 'text' | 'zip';

export interface AttachmentType {
  /** Lower case, with the dot. */
  extension: string;
  /** What the download declares (text files get a charset from their content). */
  contentType: string;
  /** Chinese name of the format, for error messages. */
  label: string;
  signature: Signature;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';

export const ATTACHMENT_TYPES: readonly AttachmentType[] = [
  { extension: '.pdf', contentType: 'application/pdf', label: 'PDF 文档', signature: 'pdf' },
  {
    extension: '.docx',
    contentType: `${OOXML}.wordprocessingml.document`,
    label: 'Word 文档',
    signature: 'word',
  },
  {
    extension: '.xlsx',
    contentType: `${OOXML}.spreadsheetml.sheet`,
    label: 'Excel 表格',
    signature: 'sheet',
  },
  {
    extension: '.pptx',
    contentType: `${OOXML}.presentationml.presentation`,
    label: 'PowerPoint 演示文稿',
    signature: 'slides',
  },
  { extension: '.doc', contentType: 'application/msword', label: 'Word 文档', signature: 'ole2' },
  {
    extension: '.xls',
    contentType: 'application/vnd.ms-excel',
    label: 'Excel 表格',
    signature: 'ole2',
  },
  { extension: '.jpg', contentType: 'image/jpeg', label: 'JPEG 图片', signature: 'jpeg' },
  { extension: '.jpeg', contentType: 'image/jpeg', label: 'JPEG 图片', signature: 'jpeg' },
  { extension: '.png', contentType: 'image/png', label: 'PNG 图片', signature: 'png' },
  { extension: '.txt', contentType: 'text/plain', label: '文本文件', signature: 'text' },
  { extension: '.zip', contentType: 'application/zip', label: 'ZIP 压缩包', signature: 'zip' },
];

export const ALLOWED_EXTENSIONS: readonly string[] = ATTACHMENT_TYPES.map((t) => t.extension);

/** The allowed extensions as one phrase for messages: ".pdf、.docx、…". */
export const ALLOWED_EXTENSIONS_TEXT = ALLOWED_EXTENSIONS.join('、');

/** The lower-case extension of a file name, with the dot; '' when it has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return '';
  return fileName.slice(dot).toLowerCase();
}

export function typeOf(fileName: string): AttachmentType | null {
  const ext = extensionOf(fileName);
  return ATTACHMENT_TYPES.find((t) => t.extension === ext) ?? null;
}

// C0 and C1 controls, DEL, and the invisible direction marks that can disguise an extension
// ("report\u202Efdp.exe" shows as "reportexe.pdf").
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name a client gave a file, made safe to store and show: no directories, no control or
 * direction characters, at most MAX_FILE_NAME_LENGTH characters (the extension kept). Null when
 * nothing usable remains.
 */
export function cleanFileName(raw: string): string | null {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const name = base.replace(UNSAFE_CHARS, '').trim();
  if (name === '' || /^\.+$/.test(name)) return null;
  const chars = [...name];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const ext = extensionOf(name);
  const extChars = ext.length <= 16 ? [...ext].length : 0;
  return (chars.slice(0, MAX_FILE_NAME_LENGTH - extChars).join('') + (extChars ? ext : '')).trim();
}

export interface ContentSummary {
  size: number;
  /** The first HEAD_BYTES bytes. */
  head: Buffer;
  /** Bytes no plain-text file contains (NUL and other control characters). */
  hasControlBytes: boolean;
  /** The whole content decodes as UTF-8. */
  validUtf8: boolean;
}

/** Watches a file's bytes go by, keeping what the content checks need. */
export class ContentProbe {
  private size = 0;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private hasControlBytes = false;
  private validUtf8 = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(Buffer.from(part));
      this.headLength += part.length;
    }
    if (!this.hasControlBytes) this.hasControlBytes = containsControlBytes(chunk);
    if (this.validUtf8) {
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        this.validUtf8 = false;
      }
    }
  }

  finish(): ContentSummary {
    if (this.validUtf8) {
      try {
        this.decoder.decode();
      } catch {
        this.validUtf8 = false;
      }
    }
    return {
      size: this.size,
      head: Buffer.concat(this.headChunks),
      hasControlBytes: this.hasControlBytes,
      validUtf8: this.validUtf8,
    };
  }
}

function containsControlBytes(chunk: Buffer): boolean {
  for (const b of chunk) {
    // Tab, line feed, vertical tab, form feed, carriage return and escape occur in real text.
    if (
      (b < 0x20 &&
        b !== 0x09 &&
        b !== 0x0a &&
        b !== 0x0b &&
        b !== 0x0c &&
        b !== 0x0d &&
        b !== 0x1b) ||
      b === 0x7f
    ) {
      return true;
    }
  }
  return false;
}

const startsWith = (head: Buffer, bytes: readonly number[]) =>
  head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const ZIP_SPANNED = [0x50, 0x4b, 0x07, 0x08];
const UTF16_LE = [0xff, 0xfe];
const UTF16_BE = [0xfe, 0xff];

export function isZip(head: Buffer): boolean {
  return (
    startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY) || startsWith(head, ZIP_SPANNED)
  );
}

/** Office Open XML formats are zip packages; their entries tell them apart. */
export function needsPackageListing(type: AttachmentType): boolean {
  return type.signature === 'word' || type.signature === 'sheet' || type.signature === 'slides';
}

const PACKAGE_FOLDERS: Partial<Record<Signature, string>> = {
  word: 'word/',
  sheet: 'xl/',
  slides: 'ppt/',
};

export type ContentVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

/**
 * Whether the bytes are what the extension claims. `packageEntries` lists the entry names of a
 * zip package (for .docx/.xlsx/.pptx), or is null when the zip could not be read.
 */
export function checkContent(
  fileName: string,
  type: AttachmentType,
  content: ContentSummary,
  packageEntries: readonly string[] | null = null,
): ContentVerdict {
  const mismatch = (): ContentVerdict => ({
    ok: false,
    reason: `附件“${fileName}”的内容不是${type.label}，与扩展名 ${type.extension} 不符`,
  });
  if (content.size === 0) return { ok: false, reason: `附件“${fileName}”是空文件` };
  const head = content.head;
  switch (type.signature) {
    case 'pdf':
      return startsWith(head, PDF) ? { ok: true, contentType: type.contentType } : mismatch();
    case 'ole2':
      return startsWith(head, OLE2) ? { ok: true, contentType: type.contentType } : mismatch();
    case 'jpeg':
      return startsWith(head, JPEG) ? { ok: true, contentType: type.contentType } : mismatch();
    case 'png':
      return startsWith(head, PNG) ? { ok: true, contentType: type.contentType } : mismatch();
    case 'zip':
      return isZip(head) ? { ok: true, contentType: type.contentType } : mismatch();
    case 'word':
    case 'sheet':
    case 'slides': {
      const folder = PACKAGE_FOLDERS[type.signature] ?? '';
      const ok =
        isZip(head) &&
        packageEntries !== null &&
        packageEntries.includes('[Content_Types].xml') &&
        packageEntries.some((name) => name.startsWith(folder));
      return ok ? { ok: true, contentType: type.contentType } : mismatch();
    }
    case 'text': {
      if (startsWith(head, UTF16_LE))
        return { ok: true, contentType: 'text/plain; charset=utf-16le' };
      if (startsWith(head, UTF16_BE))
        return { ok: true, contentType: 'text/plain; charset=utf-16be' };
      if (content.hasControlBytes) return mismatch();
      // Not UTF-8: Chinese Windows writes plain text in GB18030 (GBK).
      const charset = content.validUtf8 ? 'utf-8' : 'gb18030';
      return { ok: true, contentType: `text/plain; charset=${charset}` };
    }
  }
}

/**
 * `Content-Disposition` for a download: always an attachment (never shown inline), with the
 * UTF-8 name per RFC 5987/6266 and a plain ASCII fallback for old clients.
 */
export function contentDisposition(fileName: string): string {
  const ext = extensionOf(fileName);
  const ascii = /^[\x20-\x7e]+$/.test(fileName)
    ? fileName.replace(/["\\]/g, '_')
    : `attachment${/^\.[a-z0-9]+$/.test(ext) ? ext : ''}`;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
