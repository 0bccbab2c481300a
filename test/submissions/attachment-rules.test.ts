import { describe, expect, it } from '@jest/globals';
import {
  checkContent,
  cleanFileName,
  ContentProbe,
  contentDisposition,
  extensionOf,
  MAX_FILE_NAME_LENGTH,
  typeOf,
  type AttachmentType,
  type ContentSummary,
} from '../../src/submissions/attachment-rules.js';
import { makeDocx } from '../support/docx.js';

function summarise(...chunks: Buffer[]): ContentSummary {
  const probe = new ContentProbe();
  for (const c of chunks) probe.push(c);
  return probe.finish();
}

function check(fileName: string, content: Buffer, entries: string[] | null = null) {
  const type = typeOf(fileName) as AttachmentType;
  expect(type).not.toBeNull();
  return checkContent(fileName, type, summarise(content), entries);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const OLE2 = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from('PE\0\0')]);

describe('attachment types', () => {
  it('knows exactly the allowed extensions, in any letter case', () => {
    for (const name of [
      'a.pdf',
      'a.docx',
      'a.xlsx',
      'a.pptx',
      'a.doc',
      'a.xls',
      'a.jpg',
      'a.JPEG',
      'a.png',
      'a.txt',
      'a.ZIP',
    ]) {
      expect(typeOf(name)).not.toBeNull();
    }
    for (const name of ['a.exe', 'a.html', 'a.svg', 'a.pdf.exe', 'pdf', '.pdf', 'a.', 'a.js']) {
      expect(typeOf(name)).toBeNull();
    }
    expect(extensionOf('报告.终稿.PDF')).toBe('.pdf');
  });

  it('accepts content that matches its extension, with the declared content type', () => {
    expect(check('a.pdf', PDF)).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(check('a.png', PNG)).toEqual({ ok: true, contentType: 'image/png' });
    expect(check('a.jpg', JPEG)).toEqual({ ok: true, contentType: 'image/jpeg' });
    expect(check('a.doc', OLE2)).toEqual({ ok: true, contentType: 'application/msword' });
    expect(check('a.xls', OLE2)).toEqual({ ok: true, contentType: 'application/vnd.ms-excel' });
  });

  it('rejects a program renamed to a document, naming the file', () => {
    for (const name of ['报告.pdf', 'photo.png', 'photo.jpg', 'old.doc', 'bundle.zip']) {
      const verdict = check(name, EXE);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toContain(`“${name}”`);
    }
    const text = check('readme.txt', EXE);
    expect(text.ok).toBe(false);
  });

  it('rejects an empty file', () => {
    const verdict = check('a.pdf', Buffer.alloc(0));
    expect(verdict).toEqual({ ok: false, reason: '附件“a.pdf”是空文件' });
  });

  it('tells Word, Excel and PowerPoint packages apart by their entries', async () => {
    const docx = await makeDocx(['进展情况']);
    const wordEntries = ['[Content_Types].xml', '_rels/.rels', 'word/document.xml'];
    expect(check('a.docx', docx, wordEntries)).toMatchObject({ ok: true });
    // A Word package called .xlsx, or any zip called .docx, is not what it claims.
    expect(check('a.xlsx', docx, wordEntries).ok).toBe(false);
    expect(check('a.docx', docx, ['notes.txt']).ok).toBe(false);
    expect(check('a.docx', docx, null).ok).toBe(false);
    expect(check('a.docx', PDF, wordEntries).ok).toBe(false);
    expect(check('a.zip', docx)).toEqual({ ok: true, contentType: 'application/zip' });
    expect(check('a.pptx', docx, ['[Content_Types].xml', 'ppt/presentation.xml'])).toMatchObject({
      ok: true,
    });
  });

  it('accepts plain text in UTF-8, GB18030 and UTF-16, and names the charset', () => {
    const words = '一、工作进展\r\n\t已完成 80%。\n';
    expect(check('a.txt', Buffer.from(words, 'utf8'))).toEqual({
      ok: true,
      contentType: 'text/plain; charset=utf-8',
    });
    // The same words as GB18030 bytes (what Notepad on a Chinese Windows saves).
    const gb18030 = Buffer.from('d2bba1a2b9a4d7f7bdf8d5b90d0a09d2d1cdeab3c920383025a1a30a', 'hex');
    expect(check('a.txt', gb18030)).toEqual({
      ok: true,
      contentType: 'text/plain; charset=gb18030',
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(words, 'utf16le')]);
    expect(check('a.txt', utf16)).toEqual({
      ok: true,
      contentType: 'text/plain; charset=utf-16le',
    });
    expect(check('a.txt', Buffer.from('abc\u0000def')).ok).toBe(false);
  });

  it('checks UTF-8 across chunk boundaries and looks at every chunk for control bytes', () => {
    const bytes = Buffer.from('进展报告', 'utf8');
    // Split inside a three-byte character.
    const split = summarise(bytes.subarray(0, 2), bytes.subarray(2));
    expect(split.validUtf8).toBe(true);
    expect(split.size).toBe(bytes.length);
    const late = summarise(Buffer.alloc(8192, 0x61), Buffer.from([0x00]));
    expect(late.hasControlBytes).toBe(true);
    expect(late.head.length).toBe(4096);
    const truncated = summarise(bytes.subarray(0, bytes.length - 1));
    expect(truncated.validUtf8).toBe(false);
  });
});

describe('file names', () => {
  it('keeps only the base name, without control or direction characters', () => {
    expect(cleanFileName('C:\\Users\\科长\\进展报告.docx')).toBe('进展报告.docx');
    expect(cleanFileName('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(cleanFileName('报告\u202Efdp.exe')).toBe('报告fdp.exe');
    expect(cleanFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(cleanFileName('  总结.pdf  ')).toBe('总结.pdf');
    for (const bad of ['', '   ', '..', '.', 'dir/', '\u202E'])
      expect(cleanFileName(bad)).toBeNull();
  });

  it('shortens a long name but keeps its extension', () => {
    const name = cleanFileName(`${'很长'.repeat(300)}.pdf`)!;
    expect([...name].length).toBe(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('puts the UTF-8 name in Content-Disposition per RFC 5987, always as an attachment', () => {
    expect(contentDisposition('第1季度进展.pdf')).toBe(
      `attachment; filename="attachment.pdf"; filename*=UTF-8''%E7%AC%AC1%E5%AD%A3%E5%BA%A6%E8%BF%9B%E5%B1%95.pdf`,
    );
    expect(contentDisposition(`it's "a" (1).txt`)).toBe(
      `attachment; filename="it's _a_ (1).txt"; filename*=UTF-8''it%27s%20%22a%22%20%281%29.txt`,
    );
    const header = contentDisposition('a\r\nSet-Cookie: x.txt');
    expect(header).not.toMatch(/[\r\n]/);
  });
});
