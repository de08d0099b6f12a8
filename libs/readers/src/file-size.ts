import { promises as fsp } from 'fs';
import { SourceError } from './errors';

/** The size of a file about to be read; one that cannot even be looked at is refused as not found. */
export async function sizeOfSource(path: string, file: string, noun: 'file' | 'workbook'): Promise<number> {
  try {
    return (await fsp.stat(path)).size;
  } catch {
    throw new SourceError('not-found', file, `${noun} ${file} cannot be read (not found)`);
  }
}
