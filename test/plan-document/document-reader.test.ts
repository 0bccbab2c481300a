import { describe, it, expect } from '@jest/globals';
import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  parsePlanDocument,
  readPlanDocument,
  PlanParseError,
} from '../../src/plan-document/index.js';

const fixture = (name: string): Buffer => readFileSync(resolve('test/fixtures/plans', name));
const SMALL_PLAN_TEXT = readFileSync(resolve('test/fixtures/plans/small-plan.txt'), 'utf8');

async function rejection(fileName: string, content: Buffer): Promise<PlanParseError> {
  try {
    await parsePlanDocument(fileName, content);
  } catch (error) {
    if (error instanceof PlanParseError) return error;
    throw error;
  }
  throw new Error(`${fileName} was accepted`);
}

describe('parsePlanDocument', () => {
  it('parses the UTF-8 small plan: header, sections, units and deadlines', async () => {
    const plan = await parsePlanDocument('small-plan.txt', fixture('small-plan.txt'));
    expect(plan.plan).toEqual({
      title: '江湾区教育局2023年工作要点',
      docNumber: '江教〔2023〕5号',
      issuer: '江湾区教育局',
      issuedOn: '2023-02-20',
      year: 2023,
    });
    expect(plan.sections.map((s) => [s.title, s.items.map((i) => i.title)])).toEqual([
      ['加强党的建设', ['深入学习宣传贯彻党的二十大精神', '推进清廉学校建设']],
      ['提高教育质量', ['推进学前教育普及普惠', '做好中考招生工作']],
    ]);
    expect(plan.sections[1].items[0].deadlineHints).toEqual([
      { text: '年内', date: '2023-12-31' },
      { text: '第三季度', date: '2023-09-30' },
    ]);
    expect(plan.units).toEqual(['组织科', '宣传科', '监察室', '小幼教科', '事务中心', '中教科']);
    expect(plan.warnings).toEqual([]);
  });

  it('reads a GB18030-encoded .txt the same as the UTF-8 one', async () => {
    const gb = fixture('small-plan-gb18030.txt');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow();
    expect(await parsePlanDocument('small-plan-gb18030.txt', gb)).toEqual(
      await parsePlanDocument('small-plan.txt', fixture('small-plan.txt')),
    );
  });

  it('reads UTF-8 with BOM, UTF-16 with BOM and CRLF line ends the same', async () => {
    const expected = await parsePlanDocument('small-plan.txt', fixture('small-plan.txt'));
    const crlf = SMALL_PLAN_TEXT.replace(/\n/g, '\r\n');
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')]);
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')]);
    const utf16be = Buffer.from(utf16le);
    utf16be.swap16();
    for (const [name, content] of [
      ['bom.txt', utf8Bom],
      ['utf16le.txt', utf16le],
      ['utf16be.txt', utf16be],
    ] as const) {
      expect(await parsePlanDocument(name, content)).toEqual(expected);
    }
  });

  it('removes full-width spaces and NBSP indentation and CR line ends from the text', async () => {
    const text = await readPlanDocument(
      'x.txt',
      Buffer.from('\u3000\u3000第一行\r\n\u00a0 第二行  \r第三行', 'utf8'),
    );
    expect(text).toBe('第一行\n第二行\n第三行');
  });

  it('parses a .docx to the same plan as its text', async () => {
    const fromDocx = await parsePlanDocument('small-plan.docx', fixture('small-plan.docx'));
    expect(fromDocx).toEqual(await parsePlanDocument('small-plan.txt', fixture('small-plan.txt')));
    expect(fromDocx.sections.flatMap((s) => s.items.map((i) => i.number))).toEqual([1, 2, 3, 4]);
  });

  it('recognises a .docx by its content whatever the file is called', async () => {
    const plan = await parsePlanDocument('上传文件.bin', fixture('small-plan.docx'));
    expect(plan.plan.title).toBe('江湾区教育局2023年工作要点');
  });

  it('rejects a .docx that opens but holds no plan', async () => {
    const error = await rejection('not-a-plan.docx', fixture('not-a-plan.docx'));
    expect(error.message).toBe('未识别出任何工作要点条目（如“1.”编号的条目），不是工作要点文档');
  });

  it('rejects a zip archive that is not a Word document', async () => {
    const error = await rejection('plan.docx', fixture('not-a-docx.docx'));
    expect(error.message).toMatch(/^无法读取 \.docx 文件：/);
  });

  it('finds the main document part through the package relationships', async () => {
    const zip = await JSZip.loadAsync(fixture('small-plan.docx'));
    const document = await zip.file('word/document.xml')!.async('string');
    zip.remove('word/document.xml');
    zip.file('word/document2.xml', document);
    const rels = await zip.file('_rels/.rels')!.async('string');
    zip.file(
      '_rels/.rels',
      rels.replace('Target="word/document.xml"', 'Target="/word/document2.xml"'),
    );
    const moved = await zip.generateAsync({ type: 'nodebuffer' });
    expect(await parsePlanDocument('plan.docx', moved)).toEqual(
      await parsePlanDocument('small-plan.docx', fixture('small-plan.docx')),
    );
  });

  it('rejects a .docx whose document XML is malformed', async () => {
    const zip = await JSZip.loadAsync(fixture('small-plan.docx'));
    const document = await zip.file('word/document.xml')!.async('string');
    zip.file('word/document.xml', document.replace('</w:body>', ''));
    const error = await rejection('plan.docx', await zip.generateAsync({ type: 'nodebuffer' }));
    expect(error.message).toBe('无法读取 .docx 文件：文件已损坏或不是有效的 .docx 文件');
  });

  it('rejects a zip archive without a Word document body, saying so', async () => {
    const error = await rejection('plan.docx', fixture('not-a-docx.docx'));
    expect(error.message).toBe(
      '无法读取 .docx 文件：压缩包中没有 Word 文档正文（word/document.xml），不是有效的 .docx 文件',
    );
  });

  it('rejects a truncated .docx as damaged', async () => {
    const docx = fixture('small-plan.docx');
    const error = await rejection('plan.docx', docx.subarray(0, docx.length - 40));
    expect(error.message).toBe('无法读取 .docx 文件：文件已损坏或不是有效的 .docx 文件');
  });

  it('rejects a .docx whose content is not a zip archive', async () => {
    const error = await rejection('plan.docx', Buffer.from(SMALL_PLAN_TEXT, 'utf8'));
    expect(error.message).toMatch(/^无法读取 \.docx 文件：/);
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['only whitespace', Buffer.from(' \r\n\u3000\n\t\n', 'utf8')],
  ])('rejects %s as empty', async (_, content) => {
    expect((await rejection('plan.txt', content)).message).toBe('文件为空');
  });

  it('rejects binary content given as .txt', async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52,
    ]);
    let seed = 42;
    const random = Buffer.from(
      Array.from({ length: 4096 }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return ((seed >> 16) % 255) + 1; // no NUL byte: decoding itself must fail
      }),
    );
    const controls = Buffer.from('工作要点\x01\x02\x03\x04\x05\x06\x07\x08', 'utf8');
    for (const content of [png, random, controls]) {
      expect((await rejection('plan.txt', content)).message).toMatch(/^不是文本文件/);
    }
  });

  it.each(['plan.doc', 'plan.pdf', 'plan.xlsx'])(
    'rejects %s, naming the supported formats',
    async (name) => {
      const error = await rejection(name, Buffer.from(SMALL_PLAN_TEXT, 'utf8'));
      expect(error.message).toContain('.txt');
      expect(error.message).toContain('.docx');
    },
  );
});
