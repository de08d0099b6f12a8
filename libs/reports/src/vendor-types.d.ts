// archiver comes with exceljs (it is what exceljs's own writer zips with) and ships no types;
// this declares the part the streaming workbook writer uses.
declare module 'archiver' {
  import { Readable, Transform } from 'node:stream';
  interface Archiver extends Transform {
    append(source: Readable | Buffer | string, data: { name: string }): this;
    finalize(): Promise<void>;
    abort(): this;
  }
  function archiver(format: 'zip', options?: { zlib?: { level?: number } }): Archiver;
  export = archiver;
}
