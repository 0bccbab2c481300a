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

import { SaxesParser } from 'saxes';
import { overLimit, PLAN_DOCUMENT_LIMITS, type PlanDocumentLimits } from './limits.js';

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

/**
 * Errors saxes reports that leave the tree intact: the text or name is kept as written, as Word
 * and LibreOffice do. Every other error (a tag not closed, text after the root …) is an XmlError.
 */
const TOLERATED_XML_ERRORS = [
  'undefined entity',
  'malformed character entity',
  'empty entity name',
  'disallowed character',
  'unbound namespace prefix',
  'duplicate attribute',
  'the string "]]>" is disallowed',
  'XML declaration',
  'encoding value',
  'standalone value',
  'version number',
];

/**
 * Parses an XML document into elements with canonical names (namespace URIs of WordprocessingML,
 * transitional or strict, map to "w"; an unbound prefix is kept as written). Markup-compatibility
 * blocks (mc:AlternateContent) are replaced by their mc:Fallback content. No DTD processing;
 * unknown entities are kept as text. The parser is streaming and the tree is built without
 * recursion; a document nested deeper than the maxXmlDepth limit is refused.
 */
export function parseXml(
  xml: string,
  limits: PlanDocumentLimits = PLAN_DOCUMENT_LIMITS,
  closed?: ClosedHandler,
): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const document: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [document];
  parser.on('error', (error) => {
    if (!TOLERATED_XML_ERRORS.some((tolerated) => error.message.startsWith(tolerated)))
      throw new XmlError(error.message);
  });
  parser.on('opentag', (tag) => {
    if (stack.length > limits.maxXmlDepth) throw overLimit('maxXmlDepth', limits);
    const attrs: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) {
      if (attr.name === 'xmlns' || attr.prefix === 'xmlns') continue;
      // Unprefixed attributes are in no namespace.
      attrs[attr.prefix === '' ? attr.name : canonicalName(attr.uri, attr.local)] = attr.value;
    }
    const element: XmlElement = {
      name: tag.uri === '' ? tag.name : canonicalName(tag.uri, tag.local),
      attrs,
      children: [],
    };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop()!;
    closeElement(stack.at(-1)!, element);
    if (closed && stack.length > 1) closed(stack.at(-1)!, stack.length - 1, stack[1]);
  });
  const text = (value: string): void => {
    if (stack.length > 1) addText(stack.at(-1)!, value);
  };
  parser.on('text', text);
  parser.on('cdata', text);
  parser.write(xml).close();
  const root = document.children.find(isElement);
  if (!root) throw new XmlError('no root element');
  return root;
}

/**
 * Called each time an element has been closed and added to `parent` (at `depth`, the root being
 * at 1); it may take the parent's children away, so that a large document is never held whole.
 */
export type ClosedHandler = (parent: XmlElement, depth: number, root: XmlElement) => void;

/** "prefix:local" with a known prefix standing for the namespace, else the URI itself. */
function canonicalName(uri: string, local: string): string {
  return `${KNOWN_PREFIXES.get(uri) ?? uri}:${local}`;
}

function closeElement(parent: XmlElement, element: XmlElement): void {
  if (element.name !== 'mc:AlternateContent') return;
  // Use the content meant for consumers that understand none of the extensions.
  const branch = child(element, 'mc:Fallback') ?? child(element, 'mc:Choice');
  // The element is the parent's last child, as it has just been closed; no spread into a call,
  // which overflows the stack for a branch of very many children.
  parent.children.pop();
  for (const node of branch?.children ?? []) parent.children.push(node);
}

function addText(parent: XmlElement, text: string): void {
  const last = parent.children.at(-1);
  if (typeof last === 'string') parent.children[parent.children.length - 1] = last + text;
  else parent.children.push(text);
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
  limits = PLAN_DOCUMENT_LIMITS,
): string | null {
  const root = parseXml(rels, limits);
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
 * One line per paragraph (a table row of several cells: one line, its cells separated by tabs,
 * the paragraphs of a cell joined; a row of one cell: one line per paragraph; text boxes: after
 * the paragraph that holds them), numbered paragraphs prefixed with their number and the separator
 * Word puts after it (tab by default). Deleted (tracked) and hidden text is left out.
 * Throws XmlError when the main document part is not well-formed; a malformed numbering or
 * styles part is ignored (the text then has no automatic numbers).
 */
export function docxToText(parts: DocxParts, limits = PLAN_DOCUMENT_LIMITS): string {
  const styles = readStyles(optionalXml(parts.styles, limits));
  const numbering = new Numbering(optionalXml(parts.numbering, limits), styles);
  const writer = new TextWriter(numbering, styles);
  // Each block of the body (paragraph, table …) is written as soon as it is complete and then
  // dropped, so memory holds one block of a large document at a time.
  parseXml(parts.document, limits, (parent, depth, root) => {
    if (depth !== 2 || parent.name !== 'w:body' || child(root, 'w:body') !== parent) return;
    writer.blocks(parent);
    parent.children.length = 0;
  });
  return writer.finish();
}

function optionalXml(
  xml: string | null | undefined,
  limits: PlanDocumentLimits,
): XmlElement | null {
  if (xml === null || xml === undefined) return null;
  try {
    return parseXml(xml, limits);
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

/** The paragraphs of a table cell as one cell text: no tab or line break inside. */
function joinParagraphs(paragraphs: string[]): string {
  let text = '';
  for (const raw of paragraphs) {
    const p = raw.replace(/[\t\s]+/g, ' ').trim();
    if (p === '') continue;
    // Chinese text runs on; Latin words and numbers keep a space between them.
    if (/[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(p)) text += ' ';
    text += p;
  }
  return text;
}

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
        if (!child(child(node, 'w:trPr'), 'w:del')) this.row(node);
      } else if (BLOCK_CONTAINERS.has(node.name)) this.blocks(node);
    }
  }

  /**
   * A row of several cells is one line, as a task table's row reads in a text copy: the row's
   * cells stay together however many paragraphs each has.
   */
  private row(tr: XmlElement): void {
    const cells = childrenNamed(tr, 'w:tc');
    if (cells.length < 2) {
      this.blocks(tr);
      return;
    }
    const texts = cells.map((cell) => {
      const writer = new TextWriter(this.numbering, this.styles);
      writer.blocks(cell);
      return joinParagraphs(writer.finish().split('\n'));
    });
    this.lines.push(texts.join('\t'));
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

/** Word follows w:basedOn through far fewer styles; a longer chain is cut here. */
const MAX_STYLE_CHAIN = 64;

/** The styles a style is based on, nearest first, starting with the style itself. */
function styleChain(styles: Styles, id: string | null): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let s = id; s !== null && !seen.has(s); s = styles.byId.get(s)?.basedOn ?? null) {
    if (!styles.byId.has(s) || chain.length === MAX_STYLE_CHAIN) break;
    chain.push(s);
    seen.add(s);
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
