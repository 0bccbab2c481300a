import JSZip from 'jszip';

/*
 * Builds .docx packages whose paragraphs use Word's automatic numbering, with the part layout
 * and namespaces Word writes (document, numbering and styles parts found through relationships).
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NAMESPACES = `xmlns:w="${W}" xmlns:mc="${MC}" xmlns:w14="${W14}" xmlns:r="${R}" mc:Ignorable="w14"`;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ParagraphOptions {
  numId?: number;
  ilvl?: number;
  style?: string;
}

/** A run as Word writes it (East Asian font hint, preserved spaces). */
export function run(text: string): string {
  return `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

/** A paragraph; several texts become several runs. */
export function p(text: string | string[], options: ParagraphOptions = {}): string {
  const props: string[] = [];
  if (options.style !== undefined) props.push(`<w:pStyle w:val="${options.style}"/>`);
  if (options.numId !== undefined || options.ilvl !== undefined) {
    const ilvl = options.ilvl === undefined ? '' : `<w:ilvl w:val="${options.ilvl}"/>`;
    const numId = options.numId === undefined ? '' : `<w:numId w:val="${options.numId}"/>`;
    props.push(`<w:numPr>${ilvl}${numId}</w:numPr>`);
  }
  const pPr = props.length > 0 ? `<w:pPr>${props.join('')}</w:pPr>` : '';
  const runs = (Array.isArray(text) ? text : [text]).map(run).join('');
  return `<w:p w14:paraId="1A2B3C4D" w:rsidR="00A1B2C3">${pPr}${runs}</w:p>`;
}

export interface LevelOptions {
  start?: number;
  suffix?: 'tab' | 'space' | 'nothing';
  restart?: number;
  legal?: boolean;
  style?: string;
}

/** A w:lvl of an abstract numbering definition. */
export function lvl(
  ilvl: number,
  format: string,
  text: string,
  options: LevelOptions = {},
): string {
  const parts = [
    `<w:start w:val="${options.start ?? 1}"/>`,
    `<w:numFmt w:val="${format}"/>`,
    options.restart === undefined ? '' : `<w:lvlRestart w:val="${options.restart}"/>`,
    options.style === undefined ? '' : `<w:pStyle w:val="${options.style}"/>`,
    options.legal ? '<w:isLgl/>' : '',
    options.suffix === undefined ? '' : `<w:suff w:val="${options.suffix}"/>`,
    `<w:lvlText w:val="${escapeXml(text)}"/>`,
    '<w:lvlJc w:val="left"/>',
    `<w:pPr><w:ind w:left="${420 * (ilvl + 1)}" w:hanging="420"/></w:pPr>`,
  ];
  return `<w:lvl w:ilvl="${ilvl}" w:tplc="04090019">${parts.join('')}</w:lvl>`;
}

/** A bullet level as Word writes it (a Wingdings symbol as the level text). */
export function bulletLvl(ilvl: number): string {
  return `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF06C;"/><w:lvlJc w:val="left"/><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings" w:hint="default"/></w:rPr></w:lvl>`;
}

export function abstractNum(id: number, ...levels: string[]): string {
  return `<w:abstractNum w:abstractNumId="${id}" w15:restartNumberingAfterBreak="0" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w:nsid w:val="1F2E3D4C"/><w:multiLevelType w:val="hybridMultilevel"/>${levels.join('')}</w:abstractNum>`;
}

/** A w:num; `startOverrides` maps a level to its w:startOverride. */
export function num(
  numId: number,
  abstractId: number,
  startOverrides: Record<number, number> = {},
): string {
  const overrides = Object.entries(startOverrides)
    .map(
      ([ilvl, start]) =>
        `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`,
    )
    .join('');
  return `<w:num w:numId="${numId}" w16cid:durableId="123456789" xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`;
}

export interface StyleOptions {
  basedOn?: string;
  numId?: number;
  ilvl?: number;
  isDefault?: boolean;
}

/** A paragraph style. */
export function style(id: string, name: string, options: StyleOptions = {}): string {
  const basedOn = options.basedOn === undefined ? '' : `<w:basedOn w:val="${options.basedOn}"/>`;
  const ilvl = options.ilvl === undefined ? '' : `<w:ilvl w:val="${options.ilvl}"/>`;
  const numId = options.numId === undefined ? '' : `<w:numId w:val="${options.numId}"/>`;
  const pPr = ilvl || numId ? `<w:pPr><w:numPr>${ilvl}${numId}</w:numPr></w:pPr>` : '';
  const isDefault = options.isDefault ? ' w:default="1"' : '';
  return `<w:style w:type="paragraph"${isDefault} w:styleId="${id}"><w:name w:val="${escapeXml(name)}"/>${basedOn}<w:qFormat/>${pPr}</w:style>`;
}

export function documentXml(body: string): string {
  return `${DECLARATION}<w:document ${NAMESPACES}><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`;
}

export function numberingXml(...definitions: string[]): string {
  // Word lists every w:abstractNum before the first w:num.
  return `${DECLARATION}<w:numbering ${NAMESPACES}>${definitions.join('')}</w:numbering>`;
}

export function stylesXml(...styles: string[]): string {
  const normal = style('a', 'Normal', { isDefault: true });
  return `${DECLARATION}<w:styles ${NAMESPACES}><w:docDefaults/>${normal}${styles.join('')}</w:styles>`;
}

export interface DocxParts {
  /** The body content: paragraphs and tables. */
  body: string;
  /** Complete numbering part (numberingXml(...)), or raw text for a broken part. */
  numbering?: string;
  styles?: string;
}

/** A .docx package with the given body, numbering and styles parts. */
export async function numberedDocx(parts: DocxParts): Promise<Buffer> {
  const zip = new JSZip();
  const overrides = [
    ['/word/document.xml', 'document.main'],
    ...(parts.numbering === undefined ? [] : [['/word/numbering.xml', 'numbering']]),
    ...(parts.styles === undefined ? [] : [['/word/styles.xml', 'styles']]),
  ]
    .map(
      ([part, type]) =>
        `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml"/>`,
    )
    .join('');
  zip.file(
    '[Content_Types].xml',
    `${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `${DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  const rels: string[] = [];
  if (parts.styles !== undefined) {
    rels.push(`<Relationship Id="rId1" Type="${R}/styles" Target="styles.xml"/>`);
    zip.file('word/styles.xml', parts.styles);
  }
  if (parts.numbering !== undefined) {
    rels.push(`<Relationship Id="rId2" Type="${R}/numbering" Target="numbering.xml"/>`);
    zip.file('word/numbering.xml', parts.numbering);
  }
  zip.file(
    'word/_rels/document.xml.rels',
    `${DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  zip.file('word/document.xml', documentXml(parts.body));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
