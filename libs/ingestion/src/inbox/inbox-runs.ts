import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InboxRun, InboxRunFile, InboxRunOutcome } from '@qc/database';
import { DataSource } from 'typeorm';

/** The passes of scheduled inboxes, as people look at them: when each ran, what it took, how it ended. */
@Injectable()
export class InboxRuns {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A pass begins: shown as running until it ends. */
  async begin(inbox: string): Promise<string> {
    const run = await this.dataSource.getRepository(InboxRun).save({ inbox, startedAt: new Date(), outcome: 'running', files: [], error: null });
    return run.id;
  }

  /**
   * A pass ends with the files it took. One that found none is kept only until the next such pass of
   * its inbox (a pass a minute would fill the table): the latest says when the inbox was last looked at.
   */
  async end(inbox: string, id: string, files: InboxRunFile[], error: string | null = null): Promise<void> {
    const outcome: InboxRunOutcome = error ? 'failed' : files.length === 0 ? 'nothing' : files.every((f) => ['completed', 'unchanged'].includes(f.status)) ? 'imported' : 'quarantined';
    await this.dataSource.transaction(async (manager) => {
      await manager.update(InboxRun, { id }, { finishedAt: new Date(), outcome, files, error });
      if (outcome === 'nothing') await manager.query(`DELETE FROM inbox_run WHERE inbox = $1 AND outcome = 'nothing' AND id <> $2`, [inbox, id]);
    });
  }

  /** The latest passes of each inbox named, newest first. */
  async latest(inboxes: string[], perInbox: number): Promise<Map<string, InboxRun[]>> {
    const runs: InboxRun[] = inboxes.length === 0 ? [] : await this.dataSource.getRepository(InboxRun).createQueryBuilder('r')
      .where(`r.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY inbox ORDER BY started_at DESC) AS n FROM inbox_run WHERE inbox = ANY(:inboxes)) ranked WHERE n <= :perInbox)`, { inboxes, perInbox })
      .orderBy('r.started_at', 'DESC')
      .getMany();
    return new Map(inboxes.map((name) => [name, runs.filter((r) => r.inbox === name)]));
  }
}
