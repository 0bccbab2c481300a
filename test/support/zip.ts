import { constants, crc32, deflateRawSync } from 'node:zlib';

/*
 * Zip archives written byte by byte, so that a test can make one whose headers lie about the
 * size of an entry, or a zip bomb (hundreds of MB of zeros in a few hundred KB) without
 * compressing hundreds of MB.
 */

export interface RawZipEntry {
  name: string;
  /** The entry's content, or its raw deflate stream and the size that stream inflates to. */
  data: Buffer | { deflated: Buffer; size: number };
  /** The uncompressed size the local and central headers state; the true size by default. */
  declaredSize?: number;
}

const MiB = 1024 * 1024;

/** A raw deflate stream that inflates to `mib` MiB of zero bytes, about 1 KB per MiB. */
export function deflatedZeros(mib: number): Buffer {
  // A block ending in a sync flush can be repeated: it refers back only within itself.
  const block = deflateRawSync(Buffer.alloc(MiB), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const final = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: mib }, () => block), final]);
}

/** A zip archive of the entries, deflated (stored when empty), with the sizes they declare. */
export function rawZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const plain = Buffer.isBuffer(entry.data) ? entry.data : null;
    const compressed = plain
      ? plain.length === 0
        ? plain
        : deflateRawSync(plain)
      : (entry.data as { deflated: Buffer }).deflated;
    const size = plain ? plain.length : (entry.data as { size: number }).size;
    const declared = entry.declaredSize ?? size;
    const method = compressed.length === 0 ? 0 : 8;
    const crc = plain ? crc32(plain) : 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(Math.min(declared, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(Math.min(declared, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

export interface DocxBombOptions {
  /** MiB of zeros word/document.xml inflates to. */
  documentMiB: number;
  /** The size its headers declare; the true size by default (an honest bomb). */
  declaredDocumentBytes?: number;
  /** MiB of zeros in a word/styles.xml whose headers declare 1 KB; none by default. */
  stylesMiB?: number;
}

/**
 * A .docx-shaped zip bomb: a package whose main document part is `documentMiB` MiB of zeros,
 * deflated to about 1 KB per MiB.
 */
export function docxBomb(options: DocxBombOptions): Buffer {
  const entries: RawZipEntry[] = [
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    {
      name: 'word/document.xml',
      data: { deflated: deflatedZeros(options.documentMiB), size: options.documentMiB * MiB },
      declaredSize: options.declaredDocumentBytes,
    },
  ];
  if (options.stylesMiB !== undefined) {
    entries.push({
      name: 'word/styles.xml',
      data: { deflated: deflatedZeros(options.stylesMiB), size: options.stylesMiB * MiB },
      declaredSize: 1024,
    });
  }
  return rawZip(entries);
}

/** A zip archive of `count` empty entries. */
export function manyEntriesZip(count: number): Buffer {
  return rawZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    ...Array.from({ length: count }, (_, i) => ({
      name: `word/media/${i}.xml`,
      data: Buffer.alloc(0),
    })),
  ]);
}
