/*
 * The text of a Word (.docx) document, one line per paragraph, each numbered paragraph prefixed
 * with the number Word displays for it ("一、", "（二）", "3.").
 *
 * Pure functions on the XML text of the package parts; reading the zip is the caller's job.
 * Numbering follows ECMA-376 §17.9 as Word implements it:
 *  - a paragraph's numbering is its own w:numPr (numId + ilvl; numId 0 means none), else the
 *    w:numPr of its paragraph style or of the styles it is based on;
 *  - a w:num points at a w:abstractNum (possibly through w:numStyleLink) and may override levels
 *    (w:lvlOverride with w:startOverride or a whole w:lvl);
 *  - counters belong to the abstract definition, so w:num instances of one abstractNum continue
 *    each other; a w:startOverride restarts the level when its w:num is first used at that level;
 *  - using a level restarts the deeper levels, unless their w:lvlRestart says otherwise;
 *  - w:lvlText "%1、", "（%2）", "%1.%2" names the levels whose numbers it shows, each in its own
 *    w:numFmt (or in Arabic digits for a w:isLgl level); bullets give no prefix.
 */

const W_NAMESPACES = [
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
];
const KNOWN_PREFIXES = new Map<string, string>([
  ...W_NAMESPACES.map((uri) => [uri, 'w'] as [string, string]),
  ['http://schemas.openxmlformats.org/markup-compatibility/2006', 'mc'],
  ['http://schemas.openxmlformats.org/package/2006/relationships', 'pr'],
  ['http://www.w3.org/XML/1998/namespace', 'xml'],
]);

// ---------------------------------------------------------------------------------------------
// XML

/** An element; names and attribute names are "w:p", "w:val" whatever prefix the file uses. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** The XML of a part is not well-formed. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const START_TAG = /<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g;
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

interface OpenElement {
  element: XmlElement;
  /** The name as written, to match the end tag. */
  raw: string;
  namespaces: Map<string, string>;
}

/**
 * Parses an XML document into elements with canonical names (namespace URIs of WordprocessingML,
 * transitional or strict, map to "w"). Markup-compatibility blocks (mc:AlternateContent) are
 * replaced by their mc:Fallback content. No DTD processing; unknown entities are kept as text.
 */
export function parseXml(xml: string): XmlElement {
  const document: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: OpenElement[] = [
    {
      element: document,
      raw: '',
      namespaces: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]),
    },
  ];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i && stack.length > 1)
      addText(stack.at(-1)!.element, decodeEntities(xml.slice(i, textEnd)));
    if (lt < 0) break;
    if (xml.startsWith('<?', lt)) {
      i = after(xml, '?>', lt + 2);
    } else if (xml.startsWith('<!--', lt)) {
      i = after(xml, '-->', lt + 4);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = after(xml, ']]>', lt + 9);
      if (stack.length > 1) addText(stack.at(-1)!.element, xml.slice(lt + 9, i - 3));
    } else if (xml.startsWith('<!', lt)) {
      // <!DOCTYPE …> with an optional internal subset; nothing in it is used.
      const close = xml.indexOf('>', lt);
      const open = xml.indexOf('[', lt);
      i = open >= 0 && (close < 0 || open < close) ? after(xml, ']', open) : lt;
      i = after(xml, '>', i);
    } else if (xml.startsWith('</', lt)) {
      i = after(xml, '>', lt + 2);
      const raw = xml.slice(lt + 2, i - 1).trim();
      const open = stack.pop()!;
      if (stack.length === 0 || open.raw !== raw) throw new XmlError(`unexpected </${raw}>`);
      closeElement(stack.at(-1)!.element, open.element);
    } else {
      START_TAG.lastIndex = lt;
      const m = START_TAG.exec(xml);
      if (!m) throw new XmlError(`malformed tag at offset ${lt}`);
      i = START_TAG.lastIndex;
      const parent = stack.at(-1)!;
      const opened = openElement(m[1], m[2], parent.namespaces);
      parent.element.children.push(opened.element);
      if (m[3] === '/') closeElement(parent.element, opened.element);
      else stack.push(opened);
    }
  }
  if (stack.length > 1) throw new XmlError(`<${stack.at(-1)!.raw}> is not closed`);
  const root = document.children.find(isElement);
  if (!root) throw new XmlError('no root element');
  return root;
}

function after(xml: string, token: string, from: number): number {
  const at = xml.indexOf(token, from);
  if (at < 0) throw new XmlError(`missing "${token}"`);
  return at + token.length;
}

function openElement(
  raw: string,
  attributeText: string,
  inherited: Map<string, string>,
): OpenElement {
  const declared: [string, string][] = [];
  const attributes: [string, string][] = [];
  for (const m of attributeText.matchAll(ATTRIBUTE)) {
    const value = decodeEntities(m[2] ?? m[3]);
    if (m[1] === 'xmlns') declared.push(['', value]);
    else if (m[1].startsWith('xmlns:')) declared.push([m[1].slice(6), value]);
    else attributes.push([m[1], value]);
  }
  const namespaces = declared.length > 0 ? new Map([...inherited, ...declared]) : inherited;
  const attrs: Record<string, string> = {};
  // Unprefixed attributes are in no namespace.
  for (const [name, value] of attributes)
    attrs[name.includes(':') ? canonicalName(name, namespaces) : name] = value;
  return {
    element: { name: canonicalName(raw, namespaces), attrs, children: [] },
    raw,
    namespaces,
  };
}

/** "prefix:local" with the prefix standing for the namespace; an unbound prefix is kept. */
function canonicalName(raw: string, namespaces: Map<string, string>): string {
  const colon = raw.indexOf(':');
  const prefix = colon < 0 ? '' : raw.slice(0, colon);
  const local = raw.slice(colon + 1);
  const uri = namespaces.get(prefix);
  if (uri === undefined || uri === '') return raw;
  return `${KNOWN_PREFIXES.get(uri) ?? uri}:${local}`;
}

function closeElement(parent: XmlElement, element: XmlElement): void {
  if (element.name !== 'mc:AlternateContent') return;
  // Use the content meant for consumers that understand none of the extensions.
  const branch = child(element, 'mc:Fallback') ?? child(element, 'mc:Choice');
  parent.children.splice(parent.children.lastIndexOf(element), 1, ...(branch?.children ?? []));
}

function addText(parent: XmlElement, text: string): void {
  const last = parent.children.at(-1);
  if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text;
  else parent.children.push(text);
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return (element?.children ?? []).filter((c): c is XmlElement => isElement(c) && c.name === name);
}

/** The w:val of a child element ("<w:numId w:val="3"/>"). */
function childVal(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.attrs['w:val'];
}

function integer(value: string | undefined): number | null {
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** An on/off property: present and not w:val="0"/"false"/"off". */
function isOn(element: XmlElement | undefined): boolean {
  return (
    element !== undefined &&
    (element.attrs['w:val'] === undefined || isTrue(element.attrs['w:val']))
  );
}

/** An ST_OnOff attribute value. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'on'].includes(value.trim().toLowerCase());
}

/** The text of a part: UTF-8 (BOM optional) or UTF-16 with BOM. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

// ---------------------------------------------------------------------------------------------
// Package relationships

/**
 * The zip path of the first relationship of the given type ("officeDocument", "numbering",
 * "styles") in a .rels part, resolved against the folder of the source part ('' or 'word/').
 */
export function relationshipTarget(
  rels: string,
  type: string,
  sourceFolder: string,
): string | null {
  const root = parseXml(rels);
  for (const rel of root.children) {
    if (!isElement(rel) || !rel.name.endsWith('Relationship')) continue;
    if (rel.attrs.TargetMode === 'External' || rel.attrs.Target === undefined) continue;
    if (!(rel.attrs.Type ?? '').endsWith(`/${type}`)) continue;
    return resolvePartPath(sourceFolder, rel.attrs.Target);
  }
  return null;
}

function resolvePartPath(folder: string, target: string): string {
  const segments = target.startsWith('/') ? [] : folder.split('/').filter((s) => s !== '');
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

// ---------------------------------------------------------------------------------------------
// Document text

export interface DocxParts {
  /** The main document part (word/document.xml). */
  document: string;
  /** word/numbering.xml, if the package has one. */
  numbering?: string | null;
  /** word/styles.xml, if the package has one. */
  styles?: string | null;
}

/**
 * One line per paragraph (table cells: one line per cell paragraph; text boxes: after the
 * paragraph that holds them), numbered paragraphs prefixed with their number and the separator
 * Word puts after it (tab by default). Deleted (tracked) and hidden text is left out.
 * Throws XmlError when the main document part is not well-formed; a malformed numbering or
 * styles part is ignored (the text then has no automatic numbers).
 */
export function docxToText(parts: DocxParts): string {
  const root = parseXml(parts.document);
  const styles = readStyles(optionalXml(parts.styles));
  const numbering = new Numbering(optionalXml(parts.numbering), styles);
  const writer = new TextWriter(numbering, styles);
  const body = child(root, 'w:body');
  if (body) writer.blocks(body);
  return writer.finish();
}

function optionalXml(xml: string | null | undefined): XmlElement | null {
  if (xml === null || xml === undefined) return null;
  try {
    return parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) return null;
    throw error;
  }
}

/** Block-level elements whose content is read as paragraphs. */
const BLOCK_CONTAINERS = new Set([
  'w:body',
  'w:tbl',
  'w:tc',
  'w:sdt',
  'w:sdtContent',
  'w:customXml',
  'w:ins',
  'w:moveTo',
  'w:txbxContent',
]);

/** Elements inside a paragraph whose content is not displayed text. */
const NOT_TEXT = new Set([
  'w:pPr',
  'w:rPr',
  'w:del',
  'w:moveFrom',
  'w:delText',
  'w:instrText',
  'w:delInstrText',
  'w:sdtPr',
  'w:sdtEndPr',
  'w:fldData',
  'w:rt',
  'w:footnoteReference',
  'w:endnoteReference',
  'w:commentReference',
]);

interface ParagraphText {
  text: string;
  /** w:txbxContent elements met in the paragraph, read after it. */
  boxes: XmlElement[];
}

class TextWriter {
  private readonly lines: string[] = [];
  /** Text of paragraphs whose mark is deleted: it joins the next paragraph. */
  private pending = '';

  constructor(
    private readonly numbering: Numbering,
    private readonly styles: Styles,
  ) {}

  blocks(container: XmlElement): void {
    for (const node of container.children) {
      if (!isElement(node)) continue;
      if (node.name === 'w:p') this.paragraph(node);
      else if (node.name === 'w:tr') {
        if (!child(child(node, 'w:trPr'), 'w:del')) this.blocks(node);
      } else if (BLOCK_CONTAINERS.has(node.name)) this.blocks(node);
    }
  }

  finish(): string {
    if (this.pending !== '') this.lines.push(this.pending);
    this.pending = '';
    return this.lines.join('\n');
  }

  private paragraph(p: XmlElement): void {
    const content: ParagraphText = { text: '', boxes: [] };
    this.inline(p, content);
    const pPr = child(p, 'w:pPr');
    if (child(child(pPr, 'w:rPr'), 'w:del')) {
      this.pending += content.text;
    } else {
      const label = this.numbering.label(paragraphNumbering(pPr, this.styles));
      this.lines.push(label + this.pending + content.text);
      this.pending = '';
    }
    for (const box of content.boxes) this.blocks(box);
  }

  private inline(element: XmlElement, out: ParagraphText): void {
    for (const node of element.children) {
      if (!isElement(node) || NOT_TEXT.has(node.name)) continue;
      switch (node.name) {
        case 'w:t':
          out.text += node.children.filter((c) => typeof c === 'string').join('');
          break;
        case 'w:tab':
        case 'w:ptab':
          out.text += '\t';
          break;
        case 'w:br':
        case 'w:cr':
          out.text += '\n';
          break;
        case 'w:noBreakHyphen':
          out.text += '-';
          break;
        case 'w:txbxContent':
          out.boxes.push(node);
          break;
        case 'w:r':
          if (!isOn(child(child(node, 'w:rPr'), 'w:vanish'))) this.inline(node, out);
          break;
        default:
          // w:hyperlink, w:ins, w:moveTo, w:smartTag, w:sdt/w:sdtContent, w:fldSimple, …
          this.inline(node, out);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Styles

interface Style {
  basedOn: string | null;
  numId: string | null;
  ilvl: number | null;
}

interface Styles {
  byId: Map<string, Style>;
  /** The paragraph style of paragraphs that name none. */
  defaultParagraph: string | null;
}

function readStyles(root: XmlElement | null): Styles {
  const styles: Styles = { byId: new Map(), defaultParagraph: null };
  for (const style of childrenNamed(root ?? undefined, 'w:style')) {
    const id = style.attrs['w:styleId'];
    if (id === undefined) continue;
    const numPr = child(child(style, 'w:pPr'), 'w:numPr');
    styles.byId.set(id, {
      basedOn: childVal(style, 'w:basedOn') ?? null,
      numId: childVal(numPr, 'w:numId') ?? null,
      ilvl: integer(childVal(numPr, 'w:ilvl')),
    });
    const type = style.attrs['w:type'] ?? 'paragraph';
    if (type === 'paragraph' && isTrue(style.attrs['w:default'])) styles.defaultParagraph ??= id;
  }
  return styles;
}

/** The styles a style is based on, nearest first, starting with the style itself. */
function styleChain(styles: Styles, id: string | null): string[] {
  const chain: string[] = [];
  for (let s = id; s !== null && !chain.includes(s); s = styles.byId.get(s)?.basedOn ?? null) {
    if (!styles.byId.has(s)) break;
    chain.push(s);
  }
  return chain;
}

interface ParagraphNumbering {
  numId: string | null;
  ilvl: number | null;
  /** The paragraph's style and the styles it is based on. */
  styles: string[];
}

function paragraphNumbering(pPr: XmlElement | undefined, styles: Styles): ParagraphNumbering {
  const chain = styleChain(styles, childVal(pPr, 'w:pStyle') ?? styles.defaultParagraph);
  const numPr = child(pPr, 'w:numPr');
  let numId = childVal(numPr, 'w:numId') ?? null;
  let ilvl = integer(childVal(numPr, 'w:ilvl'));
  for (const id of chain) {
    const style = styles.byId.get(id)!;
    numId ??= style.numId;
    ilvl ??= style.ilvl;
  }
  return { numId, ilvl, styles: chain };
}

// ---------------------------------------------------------------------------------------------
// Numbering

const LEVELS = 9;

interface Level {
  start: number;
  format: string;
  /** w:lvlText, e.g. "%1、"; '' when there is none. */
  text: string;
  /** w:lvlRestart: restart after a use of this 1-based level or a higher one; 0 = never. */
  restart: number | null;
  /** w:isLgl: the numbers of all levels in the text are shown in Arabic digits. */
  legal: boolean;
  /** What follows the number: w:suff tab (default), space or nothing. */
  suffix: string;
  /** w:pStyle: the paragraph style linked to this level. */
  style: string | null;
}

interface NumInstance {
  /** The abstract definition whose counters the instance uses. */
  counters: string;
  levels: (Level | undefined)[];
  startOverrides: Map<number, number>;
}

class Numbering {
  private readonly instances = new Map<string, NumInstance>();
  private readonly counters = new Map<string, (number | null)[]>();
  /** "numId/ilvl" pairs already used: a start override applies at the first use only. */
  private readonly used = new Set<string>();

  constructor(root: XmlElement | null, styles: Styles) {
    const abstracts = new Map<string, XmlElement>();
    for (const a of childrenNamed(root ?? undefined, 'w:abstractNum')) {
      const id = a.attrs['w:abstractNumId'];
      if (id !== undefined && !abstracts.has(id)) abstracts.set(id, a);
    }
    const nums = new Map<string, XmlElement>();
    for (const n of childrenNamed(root ?? undefined, 'w:num')) {
      const id = n.attrs['w:numId'];
      if (id !== undefined && !nums.has(id)) nums.set(id, n);
    }
    for (const [numId, num] of nums) {
      const abstract = resolveAbstract(childVal(num, 'w:abstractNumId'), abstracts, nums, styles);
      if (!abstract) continue;
      const levels: (Level | undefined)[] = Array.from({ length: LEVELS }, () => undefined);
      for (const lvl of childrenNamed(abstract.element, 'w:lvl')) setLevel(levels, lvl);
      const startOverrides = new Map<number, number>();
      for (const override of childrenNamed(num, 'w:lvlOverride')) {
        const ilvl = integer(override.attrs['w:ilvl']);
        if (ilvl === null || ilvl < 0 || ilvl >= LEVELS) continue;
        const lvl = child(override, 'w:lvl');
        if (lvl) levels[ilvl] = readLevel(lvl);
        const start = integer(childVal(override, 'w:startOverride'));
        if (start !== null) startOverrides.set(ilvl, start);
      }
      this.instances.set(numId, { counters: abstract.id, levels, startOverrides });
    }
  }

  /** Counts the paragraph and returns its number with the separator, or '' when it has none. */
  label(p: ParagraphNumbering): string {
    if (p.numId === null || integer(p.numId) === 0) return '';
    const instance = this.instances.get(p.numId.trim());
    if (!instance) return '';
    const linked = instance.levels.findIndex(
      (l) => l !== undefined && l.style !== null && p.styles.includes(l.style),
    );
    const ilvl = p.ilvl ?? (linked >= 0 ? linked : 0);
    const level = instance.levels[ilvl];
    if (!level) return '';

    let counts = this.counters.get(instance.counters);
    if (!counts) {
      counts = Array.from({ length: LEVELS }, () => null);
      this.counters.set(instance.counters, counts);
    }
    const key = `${p.numId.trim()}/${ilvl}`;
    const override = instance.startOverrides.get(ilvl);
    const current = counts[ilvl];
    if (override !== undefined && !this.used.has(key)) counts[ilvl] = override;
    else counts[ilvl] = current === null ? (override ?? level.start) : current + 1;
    this.used.add(key);
    for (let k = ilvl + 1; k < LEVELS; k++) {
      const restart = instance.levels[k]?.restart ?? null;
      // lvlRestart names a 1-based level; one not above level k is ignored (MS-OI29500).
      const after = restart === null || restart > k ? k : restart;
      if (ilvl + 1 <= after) counts[k] = null;
    }

    if (level.format === 'bullet') return '';
    const text = level.text.replace(/%([1-9])/g, (_, d: string) => {
      const k = Number(d) - 1;
      const shown = instance.levels[k];
      if (!shown) return '';
      const value = counts[k] ?? instance.startOverrides.get(k) ?? shown.start;
      return formatNumber(value, level.legal ? 'decimal' : shown.format);
    });
    return text === '' ? '' : text + level.suffix;
  }
}

/** The abstract definition of a w:num, following a w:numStyleLink to the linked numbering style. */
function resolveAbstract(
  abstractId: string | undefined,
  abstracts: Map<string, XmlElement>,
  nums: Map<string, XmlElement>,
  styles: Styles,
): { id: string; element: XmlElement } | null {
  let id = abstractId;
  for (let hops = 0; hops < 5 && id !== undefined; hops++) {
    const element = abstracts.get(id);
    if (!element) return null;
    const link = childVal(element, 'w:numStyleLink');
    if (link === undefined) return { id, element };
    const numId = styles.byId.get(link)?.numId;
    const num = numId === null || numId === undefined ? undefined : nums.get(numId);
    id = childVal(num, 'w:abstractNumId');
  }
  return null;
}

function setLevel(levels: (Level | undefined)[], lvl: XmlElement): void {
  const ilvl = integer(lvl.attrs['w:ilvl']);
  if (ilvl !== null && ilvl >= 0 && ilvl < LEVELS) levels[ilvl] = readLevel(lvl);
}

function readLevel(lvl: XmlElement): Level {
  const lvlText = child(lvl, 'w:lvlText');
  const suffix = childVal(lvl, 'w:suff') ?? 'tab';
  return {
    // The standard's default is 0, but Word always writes w:start; other writers that leave it
    // out mean 1 (and LibreOffice shows 1).
    start: integer(childVal(lvl, 'w:start')) ?? 1,
    format: childVal(lvl, 'w:numFmt') ?? 'decimal',
    text:
      lvlText === undefined || isTrue(lvlText.attrs['w:null'])
        ? ''
        : (lvlText.attrs['w:val'] ?? ''),
    restart: integer(childVal(lvl, 'w:lvlRestart')),
    legal: isOn(child(lvl, 'w:isLgl')),
    suffix: suffix === 'space' ? ' ' : suffix === 'nothing' ? '' : '\t',
    style: childVal(lvl, 'w:pStyle') ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Number formats

const CN_DIGITS = '〇一二三四五六七八九';
const CN_LEGAL_SIMPLIFIED = '零壹贰叁肆伍陆柒捌玖';
const CN_LEGAL_TRADITIONAL = '零壹貳參肆伍陸柒捌玖';
const HEAVENLY_STEMS = '甲乙丙丁戊己庚辛壬癸';
const EARTHLY_BRANCHES = '子丑寅卯辰巳午未申酉戌亥';

/**
 * A number in a w:numFmt: decimal forms, enclosed digits, letters, Roman numerals, Chinese
 * counting ("十一", "一百零一") and legal ("壹拾壹") forms, 甲乙丙 and 子丑寅 cycles. 'none' is ''.
 * Formats Word has no glyph for (e.g. ① beyond 20) and unknown formats fall back to decimal.
 */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'none':
    case 'bullet':
      return '';
    case 'decimalZero':
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return enclosed(n, 0x2460);
    case 'decimalEnclosedParen':
      return enclosed(n, 0x2474);
    case 'decimalEnclosedFullstop':
      return enclosed(n, 0x2488);
    case 'upperLetter':
    case 'lowerLetter': {
      if (n < 1) return String(n);
      const letter = String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return format === 'upperLetter' ? letter : letter.toLowerCase();
    }
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return counting(n, CN_DIGITS, '十百千', false);
    case 'chineseLegalSimplified':
      return counting(n, CN_LEGAL_SIMPLIFIED, '拾佰仟', true);
    case 'ideographLegalTraditional':
      return counting(n, CN_LEGAL_TRADITIONAL, '拾佰仟', true);
    case 'ideographDigital':
    case 'taiwaneseDigital':
    case 'japaneseDigitalTenThousand':
      return n < 0 ? String(n) : String(n).replace(/[0-9]/g, (d) => CN_DIGITS[Number(d)]);
    case 'ideographTraditional':
      return n < 1 ? String(n) : HEAVENLY_STEMS[(n - 1) % 10];
    case 'ideographZodiac':
      return n < 1 ? String(n) : EARTHLY_BRANCHES[(n - 1) % 12];
    case 'ideographZodiacTraditional':
      return n < 1 ? String(n) : HEAVENLY_STEMS[(n - 1) % 10] + EARTHLY_BRANCHES[(n - 1) % 12];
    case 'ordinal':
      return ordinal(n);
    default:
      return String(n);
  }
}

function enclosed(n: number, first: number): string {
  return n >= 1 && n <= 20 ? String.fromCharCode(first + n - 1) : String(n);
}

function roman(n: number): string {
  if (n < 1 || n > 3999) return String(n);
  const numerals: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let rest = n;
  for (const [value, numeral] of numerals) {
    for (; rest >= value; rest -= value) out += numeral;
  }
  return out;
}

/**
 * Chinese counting 1..9999: 十, 十一, 二十一, 一百零一, 一百一十, 一千零一十. `digits` holds the
 * ten digits (index 0: the zero written between digits, 零), `units` 十百千. Legal forms write
 * the leading one of the tens (壹拾).
 */
function counting(n: number, digits: string, units: string, leadingOneOfTen: boolean): string {
  if (n === 0) return '〇';
  if (n < 0 || n > 9999) return String(n);
  const ds = String(n).split('').map(Number);
  const zero = digits === CN_DIGITS ? '零' : digits[0];
  let out = '';
  let gap = false;
  ds.forEach((d, i) => {
    const position = ds.length - 1 - i;
    if (d === 0) {
      gap = out !== '';
      return;
    }
    if (gap) out += zero;
    gap = false;
    if (!(d === 1 && position === 1 && out === '' && !leadingOneOfTen)) out += digits[d];
    if (position > 0) out += units[position - 1];
  });
  return out;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
