import { describe, it, expect } from '@jest/globals';
import { docxToText, formatNumber, XmlError } from '../../src/plan-document/index.js';
import {
  abstractNum,
  documentXml,
  lvl,
  num,
  numberingXml,
  p,
  run,
  style,
  stylesXml,
} from './numbered-docx.js';

const text = (body: string, numbering?: string, styles?: string): string[] =>
  docxToText({ document: documentXml(body), numbering, styles }).split('\n');

describe('formatNumber', () => {
  it.each([
    ['chineseCounting', [1, 9, 10, 11, 19, 20, 21, 99], '一 九 十 十一 十九 二十 二十一 九十九'],
    ['chineseCounting', [100, 101, 110, 1001, 1010], '一百 一百零一 一百一十 一千零一 一千零一十'],
    ['chineseCountingThousand', [3, 12], '三 十二'],
    ['japaneseCounting', [10, 15], '十 十五'],
    ['chineseLegalSimplified', [2, 10, 11], '贰 壹拾 壹拾壹'],
    ['ideographTraditional', [1, 4, 10, 11], '甲 丁 癸 甲'],
    ['ideographZodiac', [1, 12, 13], '子 亥 子'],
    ['ideographDigital', [105], '一〇五'],
    ['decimal', [7, 12], '7 12'],
    ['decimalZero', [7, 12], '07 12'],
    ['decimalFullWidth', [3, 12], '３ １２'],
    ['decimalEnclosedCircle', [1, 20, 21], '① ⑳ 21'],
    ['decimalEnclosedParen', [2], '⑵'],
    ['upperLetter', [1, 26, 27, 53], 'A Z AA AAA'],
    ['lowerLetter', [3], 'c'],
    ['upperRoman', [4, 9, 14, 1994], 'IV IX XIV MCMXCIV'],
    ['lowerRoman', [3], 'iii'],
    ['ordinal', [1, 2, 3, 11, 22], '1st 2nd 3rd 11th 22nd'],
    ['none', [3], ''],
    ['someFutureFormat', [3], '3'],
  ])('renders %s %j as "%s"', (format, numbers, expected) => {
    expect(numbers.map((n) => formatNumber(n, format)).join(' ')).toBe(expected);
  });
});

describe('docxToText', () => {
  it('reads text in hyperlinks, insertions, smart tags, content controls and field results', () => {
    const body =
      '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r></w:hyperlink>' +
      '<w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>' +
      '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>' +
      '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>标记</w:t></w:r></w:smartTag>' +
      '<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>' +
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE </w:instrText></w:r>' +
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>域结果</w:t></w:r>' +
      '<w:r><w:fldChar w:fldCharType="end"/></w:r>' +
      '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>' +
      '<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙 &amp; &#x4E01;</w:t></w:r></w:p>';
    expect(text(body)).toEqual(['链接插入标记控件域结果甲\t乙', '丙 & 丁']);
  });

  it('reads a table row as one line of tab-separated cells and skips deleted rows', () => {
    const cell = (...paragraphs: string[]): string =>
      `<w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>${paragraphs.map((t) => p(t)).join('')}</w:tc>`;
    const body =
      p('前') +
      `<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>` +
      `<w:tr>${cell('序号')}${cell('任务', '（责任科室：办公室）')}</w:tr>` +
      `<w:tr><w:trPr><w:del w:id="3" w:author="a"/></w:trPr>${cell('已删除')}${cell('行')}</w:tr>` +
      `<w:tr>${cell('1')}${cell('推进 AI', '2 所学校\t试点')}</w:tr>` +
      `<w:tr>${cell('跨列的一行', '第二段')}</w:tr>` +
      `</w:tbl>` +
      p('后');
    expect(text(body)).toEqual([
      '前',
      '序号\t任务（责任科室：办公室）',
      '1\t推进 AI 2 所学校 试点',
      '跨列的一行',
      '第二段',
      '后',
    ]);
  });

  it('leaves out a paragraph deleted with tracked changes and does not count its number', () => {
    const numbering = numberingXml(abstractNum(0, lvl(0, 'decimal', '%1.')), num(1, 0));
    const deleted =
      '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' +
      '<w:rPr><w:del w:id="5" w:author="a"/></w:rPr></w:pPr>' +
      '<w:del w:id="6" w:author="a"><w:r><w:delText>删掉的条目</w:delText></w:r></w:del></w:p>';
    const body = p('甲', { numId: 1 }) + deleted + p('乙', { numId: 1 });
    expect(text(body, numbering)).toEqual(['1.\t甲', '2.\t乙']);
  });

  it('shows multi-level numbers "%1.%2" and legal numbering in Arabic digits', () => {
    const numbering = numberingXml(
      abstractNum(
        0,
        lvl(0, 'chineseCounting', '第%1章', { suffix: 'space' }),
        lvl(1, 'decimal', '%1.%2', { suffix: 'space', legal: true }),
        lvl(2, 'lowerLetter', '%3)', { suffix: 'nothing' }),
      ),
      num(1, 0),
    );
    const body = [
      p('总则', { numId: 1, ilvl: 0 }),
      p('目的', { numId: 1, ilvl: 1 }),
      p('甲', { numId: 1, ilvl: 2 }),
      p('乙', { numId: 1, ilvl: 2 }),
      p('范围', { numId: 1, ilvl: 1 }),
      p('丙', { numId: 1, ilvl: 2 }),
      p('分则', { numId: 1, ilvl: 0 }),
      p('要求', { numId: 1, ilvl: 1 }),
    ].join('');
    expect(text(body, numbering)).toEqual([
      '第一章 总则',
      '1.1 目的',
      'a)甲',
      'b)乙',
      '1.2 范围',
      'a)丙',
      '第二章 分则',
      '2.1 要求',
    ]);
  });

  it('does not restart a level whose w:lvlRestart is 0', () => {
    const numbering = numberingXml(
      abstractNum(0, lvl(0, 'chineseCounting', '%1、'), lvl(1, 'decimal', '%2.', { restart: 0 })),
      num(1, 0),
    );
    const body = [
      p('一', { numId: 1, ilvl: 0 }),
      p('a', { numId: 1, ilvl: 1 }),
      p('b', { numId: 1, ilvl: 1 }),
      p('二', { numId: 1, ilvl: 0 }),
      p('c', { numId: 1, ilvl: 1 }),
    ].join('');
    expect(text(body, numbering)).toEqual(['一、\t一', '1.\ta', '2.\tb', '二、\t二', '3.\tc']);
  });

  it('continues numbering across list instances of one abstract definition; a start override restarts it once', () => {
    const numbering = numberingXml(
      abstractNum(0, lvl(0, 'decimal', '%1.')),
      num(1, 0),
      num(2, 0),
      num(3, 0, { 0: 10 }),
    );
    const body = [
      p('a', { numId: 1 }),
      p('b', { numId: 2 }),
      p('c', { numId: 3 }),
      p('d', { numId: 3 }),
      p('e', { numId: 1 }),
    ].join('');
    expect(text(body, numbering)).toEqual(['1.\ta', '2.\tb', '10.\tc', '11.\td', '12.\te']);
  });

  it('links a heading style to the list level that names it, and uses the default paragraph style', () => {
    const numbering = numberingXml(
      abstractNum(
        0,
        lvl(0, 'chineseCounting', '%1、', { style: 'Heading1' }),
        lvl(1, 'chineseCounting', '（%2）', { style: 'Heading2', suffix: 'nothing' }),
      ),
      abstractNum(1, lvl(0, 'decimal', '%1.')),
      num(1, 0),
      num(2, 1),
    );
    const styles = stylesXml(
      style('Heading1', 'heading 1', { numId: 1 }),
      style('Heading2', 'heading 2', { numId: 1 }),
    ).replace(
      '<w:name w:val="Normal"/>',
      '<w:name w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr>',
    );
    const body = [
      p('总体要求', { style: 'Heading1' }),
      p('指导思想', { style: 'Heading2' }),
      p('正文一'),
      p('正文二'),
      p('重点任务', { style: 'Heading1' }),
      p('队伍建设', { style: 'Heading2' }),
    ].join('');
    expect(text(body, numbering, styles)).toEqual([
      '一、\t总体要求',
      '（一）指导思想',
      '1.\t正文一',
      '2.\t正文二',
      '二、\t重点任务',
      '（一）队伍建设',
    ]);
  });

  it('uses the mc:Fallback number format and resolves any namespace prefix', () => {
    const numbering =
      '<n:numbering xmlns:n="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">' +
      '<n:abstractNum n:abstractNumId="0"><n:lvl n:ilvl="0"><n:start n:val="1"/>' +
      '<mc:AlternateContent><mc:Choice Requires="w14"><n:numFmt n:val="custom" n:format="01, 02, 03, ..."/></mc:Choice>' +
      '<mc:Fallback><n:numFmt n:val="decimalZero"/></mc:Fallback></mc:AlternateContent>' +
      '<n:lvlText n:val="%1、"/></n:lvl></n:abstractNum>' +
      '<n:num n:numId="1"><n:abstractNumId n:val="0"/></n:num></n:numbering>';
    expect(text(p('甲', { numId: 1 }), numbering)).toEqual(['01、\t甲']);
  });

  it('reads the text without numbers when the numbering part is malformed', () => {
    expect(text(p('甲', { numId: 1 }), '<w:numbering><w:num>')).toEqual(['甲']);
  });

  it('throws XmlError for a malformed main document part', () => {
    expect(() => docxToText({ document: `<w:document><w:body>${run('甲')}</w:document>` })).toThrow(
      XmlError,
    );
  });
});
