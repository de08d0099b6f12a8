import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InboxConfig } from '@qc/config';
import { BatchStatus } from '@qc/database';
import { LOGGER, Logger } from '@qc/logging';
import { maskFileName } from '@qc/readers';
import { hohhotDay } from '@qc/time';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportSummary } from '../import-summary';
import { ImportsService } from '../imports.service';
import { InboxRuns } from './inbox-runs';
import { hasChanged, InboxFile, moveWithoutOverwrite, settledFiles } from './inbox-files';

/** What became of one file of an inbox. */
export interface InboxOutcome {
  file: string;
  batchId: string;
  status: string;
  /** Where the file is now: in the archive or in quarantine. */
  movedTo: string;
  /** Why a quarantined file was not imported (also in its .reason.txt). */
  reason: string | null;
}

const ARCHIVED: readonly string[] = ['completed', 'unchanged'] satisfies BatchStatus[];

function reasonText(file: string, summary: ImportSummary): string {
  return `${file}\nbatch ${summary.batchId}: ${summary.status}\n${summary.error ?? 'no reason was recorded'}\n`;
}

/**
 * Imports the files dropped into an inbox folder, then archives them (imported) or quarantines them
 * (refused, failed: a file that stopped the worker too often too).
 */
@Injectable()
export class InboxService {
  private readonly runs: InboxRuns;

  constructor(
    private readonly imports: ImportsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Built from the data source, not injected: the service keeps the three dependencies it is made with.
    this.runs = new InboxRuns(dataSource);
  }

  /**
   * One pass: every settled file, one at a time, each waited for before it is moved.
   * Returns null, doing nothing, while another pass of the same inbox runs (in any process).
   */
  async runPass(inbox: InboxConfig): Promise<InboxOutcome[] | null> {
    return this.exclusively(inbox.name, async () => {
      const run = await this.runs.begin(inbox.name);
      const outcomes: InboxOutcome[] = [];
      const taken = () => outcomes.map(({ file, batchId, status, reason }) => ({ file, batchId, status, reason }));
      try {
        await mkdir(inbox.folder, { recursive: true });
        for (const file of await settledFiles(inbox.folder, Date.now())) {
          try {
            const outcome = await this.importFile(inbox, file);
            if (outcome) outcomes.push(outcome);
          } catch (err) {
            // The file stays in the inbox for the next pass.
            this.logger.error({ inbox: inbox.name, err: (err as Error).message }, `${maskFileName(file.name)}: not imported`);
          }
        }
      } catch (err) {
        await this.runs.end(inbox.name, run, taken(), (err as Error).message);
        throw err;
      }
      await this.runs.end(inbox.name, run, taken());
      return outcomes;
    });
  }

  private async importFile(inbox: InboxConfig, file: InboxFile): Promise<InboxOutcome | null> {
    // Files listed before a long import may have been replaced since.
    if (hasChanged(file, await stat(file.path))) return null;
    const batch = await this.imports.submitOnce(file.path, `schedule:${inbox.name}`, file.name, new Date(file.mtimeMs));
    const summary = await this.imports.waitFor(batch.id);
    const archived = ARCHIVED.includes(summary.status);
    // The day in Hohhot names the folder, whatever the server's time zone.
    const day = hohhotDay(new Date());
    const movedTo = await moveWithoutOverwrite(file.path, join(archived ? inbox.archiveFolder : inbox.quarantineFolder, day), file.name);
    if (!archived) await writeFile(`${movedTo}.reason.txt`, reasonText(batch.fileName, summary));
    this.logger.info({ inbox: inbox.name, batch: batch.id, status: summary.status }, `${batch.fileName}: ${summary.status}, moved to ${archived ? 'archive' : 'quarantine'}`);
    return { file: batch.fileName, batchId: batch.id, status: summary.status, movedTo, reason: archived ? null : summary.error };
  }

  /** Runs work under a PostgreSQL advisory lock named for the inbox, or returns null if another session holds it. */
  private async exclusively<T>(inboxName: string, work: () => Promise<T>): Promise<T | null> {
    const lock = `qingcheng:inbox:${inboxName}`;
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lock])) as { locked: boolean }[];
      if (!locked) {
        this.logger.info({ inbox: inboxName }, 'inbox pass skipped: another pass of this inbox is still running');
        return null;
      }
      try {
        return await work();
      } finally {
        await session.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      await session.release();
    }
  }
}
