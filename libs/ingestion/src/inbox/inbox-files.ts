import { constants, Stats } from 'node:fs';
import { copyFile, link, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** A file younger than this may still be being copied into the inbox: it waits for the next pass. */
export const SETTLE_MS = 5000;

export interface InboxFile {
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** Hidden files, Office lock files (~$x.xlsx) and partial downloads are not imports. */
export function isImportCandidate(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('~$') && !/\.(part|partial|tmp|crdownload)$/i.test(name);
}

/** Whether a file has not been written to for SETTLE_MS. */
export function hasSettled(file: Pick<InboxFile, 'mtimeMs'>, now: number): boolean {
  return now - file.mtimeMs >= SETTLE_MS;
}

/** Whether a file's size or modification time differ from what an earlier look saw. */
export function hasChanged(before: Pick<InboxFile, 'size' | 'mtimeMs'>, now: Pick<Stats, 'size' | 'mtimeMs'>): boolean {
  return before.size !== now.size || before.mtimeMs !== now.mtimeMs;
}

/** The candidate files of a folder that have settled, oldest first (sub-folders are not looked into). */
export async function settledFiles(folder: string, now: number): Promise<InboxFile[]> {
  const files: InboxFile[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile() || !isImportCandidate(entry.name)) continue;
    const path = join(folder, entry.name);
    const info = await stat(path).catch(() => null);
    if (info && hasSettled(info, now)) files.push({ name: entry.name, path, size: info.size, mtimeMs: info.mtimeMs });
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
}

/** 社区.csv, then 社区-2.csv, 社区-3.csv, … */
export function numberedName(name: string, n: number): string {
  if (n === 1) return name;
  const extension = extname(name);
  return `${name.slice(0, name.length - extension.length)}-${n}${extension}`;
}

/** Puts source at target unless target exists; false when it does. Never overwrites, even under a race. */
async function placeExclusively(source: string, target: string): Promise<boolean> {
  try {
    await link(source, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
  }
  // No hard links here (another file system, a network share): copy, still refusing to overwrite.
  try {
    await copyFile(source, target, constants.COPYFILE_EXCL);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Moves a file into a folder (made if missing) under its own name, numbered if that name is taken; returns the new path. */
export async function moveWithoutOverwrite(source: string, folder: string, name: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (let n = 1; n <= 1000; n++) {
    const target = join(folder, numberedName(name, n));
    if (await placeExclusively(source, target)) {
      await unlink(source);
      return target;
    }
  }
  throw new Error(`${folder} holds 1000 files named like ${name} already`);
}
