import { createReadStream, promises as fsp } from 'fs';
import { pipeline, Readable, Transform } from 'stream';
import { createInflateRaw, inflateRawSync } from 'zlib';

/** One entry of a zip central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  fileSize: number;
  entries: ZipEntry[];
  totalUncompressed: number;
  totalCompressed: number;
}

/** Why an archive was refused; `kind` tells a broken file from a hostile one. */
export class ZipProblem extends Error {
  constructor(
    readonly kind: 'truncated' | 'hostile' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'ZipProblem';
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;
const MAX_COMMENT = 0xffff;

async function readAt(fh: fsp.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipProblem('hostile', 'a zip64 size or offset is absurdly large');
  return Number(v);
}

export interface DirectoryLimits {
  maxEntries: number;
}

/**
 * Read the central directory of a zip file without inflating anything: locate the
 * end-of-central-directory record (and its zip64 variant), then walk every central header.
 */
export async function readZipDirectory(path: string, limits: DirectoryLimits): Promise<ZipDirectory> {
  const fh = await fsp.open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    if (fileSize < 22) throw new ZipProblem('truncated', 'the file is too short to be a zip archive');
    const tailLen = Math.min(fileSize, 22 + MAX_COMMENT);
    const tail = await readAt(fh, fileSize - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipProblem('truncated', 'no end-of-central-directory record (the archive is cut short)');
    let entryCount = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    const eocdPos = fileSize - tailLen + eocd;
    if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocdPos >= 20 ? await readAt(fh, eocdPos - 20, 20) : Buffer.alloc(0);
      if (loc.length === 20 && loc.readUInt32LE(0) === ZIP64_LOCATOR_SIG) {
        const z64Pos = u64(loc, 8);
        const z64 = await readAt(fh, z64Pos, 56);
        if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) {
          throw new ZipProblem('truncated', 'the zip64 end-of-central-directory record is missing');
        }
        entryCount = u64(z64, 32);
        cdSize = u64(z64, 40);
        cdOffset = u64(z64, 48);
      }
    }
    if (entryCount > limits.maxEntries) {
      throw new ZipProblem('hostile', `the archive claims ${entryCount} entries, more than the limit of ${limits.maxEntries}`);
    }
    if (cdOffset + cdSize > eocdPos) {
      throw new ZipProblem('truncated', 'the central directory lies outside the file (the archive is cut short)');
    }
    const cd = await readAt(fh, cdOffset, cdSize);
    if (cd.length < cdSize) throw new ZipProblem('truncated', 'the central directory is cut short');

    const entries: ZipEntry[] = [];
    const seen = new Set<string>();
    let pos = 0;
    let totalUncompressed = 0;
    let totalCompressed = 0;
    for (let n = 0; n < entryCount; n++) {
      if (pos + 46 > cd.length || cd.readUInt32LE(pos) !== CEN_SIG) {
        throw new ZipProblem('truncated', `central directory entry ${n + 1} of ${entryCount} is damaged`);
      }
      const flags = cd.readUInt16LE(pos + 8);
      const method = cd.readUInt16LE(pos + 10);
      let compressedSize = cd.readUInt32LE(pos + 20);
      let uncompressedSize = cd.readUInt32LE(pos + 24);
      const nameLen = cd.readUInt16LE(pos + 28);
      const extraLen = cd.readUInt16LE(pos + 30);
      const commentLen = cd.readUInt16LE(pos + 32);
      let localHeaderOffset = cd.readUInt32LE(pos + 42);
      const end = pos + 46 + nameLen + extraLen + commentLen;
      if (end > cd.length) throw new ZipProblem('truncated', `central directory entry ${n + 1} is cut short`);
      const name = cd.toString('utf8', pos + 46, pos + 46 + nameLen);
      // zip64 extended information extra field
      let x = pos + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = cd.readUInt16LE(x);
        const len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let p = x + 4;
          if (uncompressedSize === 0xffffffff && p + 8 <= x + 4 + len) {
            uncompressedSize = u64(cd, p);
            p += 8;
          }
          if (compressedSize === 0xffffffff && p + 8 <= x + 4 + len) {
            compressedSize = u64(cd, p);
            p += 8;
          }
          if (localHeaderOffset === 0xffffffff && p + 8 <= x + 4 + len) localHeaderOffset = u64(cd, p);
        }
        x += 4 + len;
      }
      if (flags & 0x1) throw new ZipProblem('unsupported', `entry ${name} is encrypted`);
      if (seen.has(name)) throw new ZipProblem('hostile', `entry ${name} appears twice in the archive`);
      seen.add(name);
      if (localHeaderOffset + 30 + compressedSize > cdOffset) {
        throw new ZipProblem('truncated', `entry ${name} extends past the start of the central directory`);
      }
      entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
      totalUncompressed += uncompressedSize;
      totalCompressed += compressedSize;
      pos = end;
    }
    return { fileSize, entries, totalUncompressed, totalCompressed };
  } finally {
    await fh.close();
  }
}

/** Offset of an entry's data, read from its local header. */
export async function entryDataOffset(path: string, entry: ZipEntry): Promise<number> {
  const fh = await fsp.open(path, 'r');
  try {
    const loc = await readAt(fh, entry.localHeaderOffset, 30);
    if (loc.length < 30 || loc.readUInt32LE(0) !== LOC_SIG) {
      throw new ZipProblem('truncated', `the local header of entry ${entry.name} is missing or damaged`);
    }
    return entry.localHeaderOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}

/** Bytes read from the file through entry streams that were given it. */
export interface ByteCount { bytes: number }

function countingBytes(counted: ByteCount): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counted.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

/**
 * An entry's content, inflated, as a stream read straight from its place in the file: the order of
 * the entries in the archive does not matter. Damaged data surfaces as an error on the stream.
 */
export async function entryStream(path: string, entry: ZipEntry, counted?: ByteCount): Promise<Readable> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipProblem('unsupported', `entry ${entry.name} uses compression method ${entry.method}`);
  }
  if (entry.compressedSize === 0) return Readable.from([]);
  const start = await entryDataOffset(path, entry);
  const file = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  const raw = counted ? pipeline(file, countingBytes(counted), () => undefined) : file;
  if (entry.method === 0) return raw;
  // pipeline destroys the inflater with a read error too, so the consumer sees every failure on it.
  // 64 KiB pieces (zlib's default is 16): the XML parser downstream pays per piece as well.
  return pipeline(raw, createInflateRaw({ chunkSize: 64 * 1024 }), () => undefined);
}

/** Read and inflate a small entry fully (refuses entries above `maxBytes`). */
export async function readSmallEntry(path: string, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    throw new ZipProblem('hostile', `entry ${entry.name} claims ${entry.uncompressedSize} bytes, more than ${maxBytes}`);
  }
  const start = await entryDataOffset(path, entry);
  const fh = await fsp.open(path, 'r');
  let raw: Buffer;
  try {
    raw = await readAt(fh, start, entry.compressedSize);
  } finally {
    await fh.close();
  }
  if (raw.length < entry.compressedSize) throw new ZipProblem('truncated', `entry ${entry.name} is cut short`);
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new ZipProblem('unsupported', `entry ${entry.name} uses compression method ${entry.method}`);
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, maxBytes) });
  } catch {
    throw new ZipProblem('truncated', `entry ${entry.name} cannot be inflated (damaged data)`);
  }
}

/**
 * Streams an entry's bytes, inflated, to `visit` until it returns true (enough) or the entry ends;
 * resolves true when the entry was read to its end. Nothing is kept but what `visit` keeps.
 */
export async function streamEntry(path: string, entry: ZipEntry, visit: (chunk: Buffer) => boolean): Promise<boolean> {
  if (entry.compressedSize === 0) return true;
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ZipProblem('unsupported', `entry ${entry.name} uses compression method ${entry.method}`);
  }
  const start = await entryDataOffset(path, entry);
  return new Promise<boolean>((resolve, reject) => {
    const src = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
    let settled = false;
    const finish = (err: unknown, ended = false) => {
      if (settled) return;
      settled = true;
      src.destroy();
      if (err) reject(err);
      else resolve(ended);
    };
    const take = (chunk: Buffer) => {
      if (settled) return;
      try {
        if (visit(chunk)) finish(null);
      } catch (err) {
        finish(err);
      }
    };
    src.on('error', (e) => finish(e));
    if (entry.method === 0) {
      src.on('data', (chunk) => take(chunk as Buffer));
      src.on('end', () => finish(null, true));
      return;
    }
    const inflate = createInflateRaw();
    inflate.on('data', take);
    inflate.on('error', () => finish(new ZipProblem('truncated', `entry ${entry.name} cannot be inflated (damaged data)`)));
    inflate.on('end', () => finish(null, true));
    src.pipe(inflate);
  });
}

/**
 * Inflate an entry and count its bytes without keeping them, stopping as soon as it produces more
 * than it claims (a lying header) or more than `budget`.
 */
export async function measureEntry(path: string, entry: ZipEntry, budget: number): Promise<number> {
  if (entry.compressedSize === 0) return 0;
  const limit = Math.min(entry.uncompressedSize, budget);
  let produced = 0;
  await streamEntry(path, entry, (chunk) => {
    produced += chunk.length;
    if (produced <= limit) return false;
    throw new ZipProblem(
      'hostile',
      produced > entry.uncompressedSize
        ? `entry ${entry.name} inflates beyond the ${entry.uncompressedSize} bytes its header claims`
        : `entry ${entry.name} inflates beyond the uncompressed size limit`,
    );
  });
  if (produced < entry.uncompressedSize) {
    throw new ZipProblem('truncated', `entry ${entry.name} inflates to fewer bytes than its header claims`);
  }
  return produced;
}

/** The first `bytes` bytes of an entry, inflated (fewer if the entry is shorter); stops reading there. */
export async function readEntryHead(path: string, entry: ZipEntry, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  await streamEntry(path, entry, (chunk) => {
    chunks.push(chunk);
    have += chunk.length;
    return have >= bytes;
  });
  return Buffer.concat(chunks).subarray(0, bytes);
}
