import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Bulletin, BulletinTable } from './bulletin.js';

const BODY_FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';
const HEADING_FONT = '黑体';
/** Sizes in half-points: 三号 16 pt, 二号 22 pt, 四号 14 pt. */
const BODY_SIZE = 32;
const TITLE_SIZE = 44;
const TABLE_SIZE = 24;

const run = (text: string, font = BODY_FONT, size = BODY_SIZE, bold = false) =>
  new TextRun({ text, font: { eastAsia: font, ascii: font, hAnsi: font }, size, bold });

const body = (text: string, indent = true) =>
  new Paragraph({
    children: [run(text)],
    indent: indent ? { firstLine: 640 } : undefined,
    spacing: { line: 560 },
  });

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(t: BulletinTable): (Paragraph | Table)[] {
  const heading = new Paragraph({
    children: [run(t.caption, HEADING_FONT)],
    spacing: { before: 240 },
  });
  if (t.rows.length === 0) return [heading, body(t.empty)];
  const cell = (text: string, bold = false) =>
    new TableCell({
      children: [new Paragraph({ children: [run(text, BODY_FONT, TABLE_SIZE, bold)] })],
      borders: { top: border, bottom: border, left: border, right: border },
    });
  return [
    heading,
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: t.header.map((h) => cell(h, true)) }),
        ...t.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
      ],
    }),
  ];
}

/** The bulletin as a Word document (.docx), in the fonts and sizes of official documents. */
export async function renderBulletinDocx(b: Bulletin): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    ...(b.draftNote
      ? [new Paragraph({ children: [run(b.draftNote, BODY_FONT, TABLE_SIZE)] })]
      : []),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [run(b.docNumber)] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 240 },
      children: [run(b.title, TITLE_FONT, TITLE_SIZE)],
    }),
    body(b.addressees, false),
    ...b.summary.map((p) => body(p)),
    ...b.tables.flatMap(table),
    new Paragraph({ children: [run('四、工作要求', HEADING_FONT)], spacing: { before: 240 } }),
    ...b.requirements.map((p, i) => body(`${i + 1}. ${p}`)),
    body(b.closing),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(b.signature)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(b.date)] }),
  ];
  const doc = new Document({
    creator: b.signature,
    title: b.title,
    sections: [
      {
        properties: {
          page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
