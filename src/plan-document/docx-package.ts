import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { overLimit, type PlanDocumentLimit, type PlanDocumentLimits } from './limits.js';
import { PlanOverLimitError } from './plan-document.js';

/*
 * The parts of a .docx (zip) package, read under the limits of limits.ts so that a zip bomb
 * never gets inflated: the central directory is checked before anything is inflated (entry
 * count, declared uncompressed size), and every part is inflated as a stream that is cut off as
 * soon as it passes its cap, so an entry whose header understates its size gets no further.
 */

/** The zip archive cannot be read (damaged, truncated, unsupported compression …). */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const STORED = 0;
const DEFLATED = 8;

export class DocxPackage {
  /** Bytes inflated so far, over all parts read. */
  private inflated = 0;

  private constructor(
    private readonly content: Buffer,
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly limits: PlanDocumentLimits,
  ) {}

  /**
   * Reads the central directory. Throws PlanOverLimitError when it declares more entries or more
   * uncompressed data than the limits allow, ZipError when it cannot be read.
   */
  static async open(content: Buffer, limits: PlanDocumentLimits): Promise<DocxPackage> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(
        content,
        // Sizes are checked here, against the limits rather than against the headers.
        { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false },
        (error, zipFile) => (error ? reject(zipError(error)) : resolve(zipFile)),
      ),
    );
    if (zip.entryCount > limits.maxZipEntries) {
      zip.close();
      throw overLimit('maxZipEntries', limits);
    }
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        declared += entry.uncompressedSize;
        if (declared > limits.maxUncompressedBytes) throw overLimit('maxUncompressedBytes', limits);
        if (entry.fileName.endsWith('/')) continue;
        // Part names are case-insensitive in a package; the first of two alike wins.
        const key = entry.fileName.toLowerCase();
        if (!entries.has(key)) entries.set(key, entry);
      }
    } catch (error) {
      zip.close();
      throw error instanceof PlanOverLimitError ? error : zipError(error);
    }
    return new DocxPackage(content, zip, entries, limits);
  }

  has(path: string): boolean {
    return this.entries.has(path.toLowerCase());
  }

  /**
   * The bytes of a part, or null when the package has no such part. At most `cap` bytes are
   * inflated (and at most maxUncompressedBytes over all parts); past that the part is refused
   * with PlanOverLimitError naming `limit`.
   */
  async read(path: string, limit: PlanDocumentLimit): Promise<Buffer | null> {
    const entry = this.entries.get(path.toLowerCase());
    if (!entry) return null;
    const cap = this.limits[limit];
    if (entry.uncompressedSize > cap) throw overLimit(limit, this.limits, entry.fileName);
    const remaining = this.limits.maxUncompressedBytes - this.inflated;
    const data = await this.compressedData(entry);
    let bytes: Buffer | 'over cap' | 'over total';
    if (entry.compressionMethod === STORED) {
      bytes = data.length > cap ? 'over cap' : data.length > remaining ? 'over total' : data;
    } else if (entry.compressionMethod === DEFLATED) {
      bytes = await inflateCapped(data, cap, remaining);
    } else {
      throw new ZipError(`unsupported compression method ${entry.compressionMethod}`);
    }
    if (bytes === 'over cap') throw overLimit(limit, this.limits, entry.fileName);
    if (bytes === 'over total') throw overLimit('maxUncompressedBytes', this.limits);
    this.inflated += bytes.length;
    return bytes;
  }

  close(): void {
    this.zip.close();
  }

  /** The entry's data as stored in the archive (a view, not a copy). */
  private async compressedData(entry: yauzl.Entry): Promise<Buffer> {
    if (entry.isEncrypted()) throw new ZipError(`${entry.fileName} is encrypted`);
    const header = await new Promise<{ fileDataStart: number }>((resolve, reject) =>
      this.zip.readLocalFileHeader(entry, { minimal: true }, (error, h) =>
        error ? reject(zipError(error)) : resolve(h),
      ),
    );
    const end = header.fileDataStart + entry.compressedSize;
    if (end > this.content.length) throw new ZipError(`${entry.fileName} is truncated`);
    return this.content.subarray(header.fileDataStart, end);
  }
}

/**
 * Inflates raw deflate data as a stream, stopping as soon as the output passes `cap` bytes (or
 * `total` bytes, the room left over all parts).
 */
function inflateCapped(
  data: Buffer,
  cap: number,
  total: number,
): Promise<Buffer | 'over cap' | 'over total'> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const stop = (result: 'over cap' | 'over total'): void => {
      settled = true;
      inflater.destroy();
      resolve(result);
    };
    inflater.on('data', (chunk: Buffer) => {
      if (settled) return;
      length += chunk.length;
      if (length > cap) stop('over cap');
      else if (length > total) stop('over total');
      else chunks.push(chunk);
    });
    inflater.on('error', (error) => {
      if (!settled) reject(zipError(error));
      settled = true;
    });
    inflater.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks, length));
      settled = true;
    });
    inflater.end(data);
  });
}

function zipError(error: unknown): ZipError {
  return error instanceof ZipError
    ? error
    : new ZipError(error instanceof Error ? error.message : String(error));
}
