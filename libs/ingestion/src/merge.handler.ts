import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ImportBatch, RecordLink, RecordReference, RecordWarning, Rejection, SourceRecord, writeRows } from '@qc/database';
import { JobContext, JobName, OnJob, PermanentJobError } from '@qc/jobs';
import { LOGGER, Logger } from '@qc/logging';
import { toStored } from '@qc/reasons';
import { MergePartitions, MergeSession, MergeSessionFactory, PartitionPlan, PartitionsOutgrown, personKeysNear, widen } from '@qc/registry';
import { DataSource, EntityManager } from 'typeorm';
import { BatchAttempts } from './batch-attempts';
import { BatchReach, batchReach } from './merge-partition-keys';
import { SourceRegistry } from './source-registry';
import { reportProgress } from './progress';
import { FieldProblem, MergeOutcome } from './sources/source-definition';

const MERGE_CHUNK = 1000;

/** Advisory lock class of one batch's merge: (BATCH_LOCK_CLASS, batchLockKey(id)). */
const BATCH_LOCK_CLASS = 0x51430003;

/** 32 bits of the batch's id (its random tail): another batch sharing them only waits its turn. */
function batchLockKey(batchId: string): number {
  return Number.parseInt(batchId.replace(/-/g, '').slice(-8), 16) | 0;
}

/** Records merged before the planner's statistics are first refreshed; then at every doubling. */
const FIRST_ANALYZE_AT = 10_000;

/**
 * The registry tables a merge both reads and fills. A large batch changes them many times over
 * inside one transaction, which autovacuum cannot see: with the statistics of before the batch the
 * planner reads whole tables for every chunk (a merge quadratic in the batch).
 */
const MERGED_TABLES = ['person', 'membership', 'record_link', 'record_reference', 'party_organization', 'role_assignment', 'external_ref'];

/**
 * Merge: applies a batch's accepted records to the registry in one transaction, so a failed merge
 * leaves nothing half-applied and its retry starts from a clean state.
 */
@Injectable()
export class MergeHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: SourceRegistry,
    private readonly sessions: MergeSessionFactory,
    private readonly attempts: BatchAttempts,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnJob(JobName.ImportMerge)
  async merge({ batchId }: { batchId: string }, context: JobContext): Promise<void> {
    const batch = await this.dataSource.getRepository(ImportBatch).findOneBy({ id: batchId });
    if (!batch) throw new PermanentJobError(`batch ${batchId} does not exist`);
    if (batch.status !== 'merging' || !(await this.attempts.begin(this.dataSource.manager, batchId, 'merge'))) return;
    try {
      // Planned before the transaction, from the records and the registry as they stand; checked again under the locks.
      const reach = await batchReach(this.dataSource.manager, this.sessions.open(this.dataSource.manager), batchId);
      let plan = reach.plan;
      this.logger.info({ batch: batchId, partitions: plan.whole ? 'whole registry' : plan.buckets.length }, 'merge plan');
      for (;;) {
        try {
          await this.apply(batch, plan, reach, context);
          break;
        } catch (err) {
          // Rolled back before it wrote anything that lasts: again, with the locks it found it needs, taken in order.
          if (!(err instanceof PartitionsOutgrown)) throw err;
          this.logger.info({ batch: batchId, reason: err.message }, 'merge starts again with more of the registry locked');
          plan = widen(plan, err.plan);
        }
      }
    } catch (err) {
      if (!context.willRetry || err instanceof PermanentJobError) {
        this.logger.error({ batch: batchId, err: (err as Error).message }, 'merge failed');
        await this.dataSource.getRepository(ImportBatch).update({ id: batchId }, { status: 'failed', error: `merge failed: ${(err as Error).message}`, finishedAt: new Date() });
      }
      throw err;
    }
  }

  /** One transaction: the batch's lock, its partitions, then every record. */
  private async apply(batch: ImportBatch, plan: PartitionPlan, reach: BatchReach, context: JobContext): Promise<void> {
    const batchId = batch.id;
    await this.dataSource.transaction(async (manager) => {
      // A second merge job for this batch (queued again after Redis lost the first) waits here and
      // then must not apply the batch twice. An advisory lock, not a row lock, so that the progress
      // below can be written beside.
      await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [BATCH_LOCK_CLASS, batchLockKey(batchId)]);
      const current = await manager.findOneBy(ImportBatch, { id: batchId });
      if (current?.status !== 'merging') return;
      const partitions = await MergePartitions.lock(manager, plan);
      // Persons written since the plan may reach further: their keys are taken now, or the merge starts again.
      if (!partitions.whole) await partitions.ensure(await personKeysNear(manager, reach.recordKeys, reach.rowHashes), 'registry persons changed since the plan');
      await reportProgress(this.dataSource, batchId, 'matching', 0, batch.accepted);
      const session = this.sessions.open(manager, partitions);
      const totals = { created: 0, matched: 0, updated: 0, demoted: 0, warnings: 0 };
      let done = 0;
      let analyzeAt = FIRST_ANALYZE_AT;
      let progress: Promise<void> = Promise.resolve();
      let next = acceptedRecords(manager, batchId, '0');
      for (;;) {
        const records = await next;
        if (records.length === 0) break;
        // Queued now on the transaction's connection: PostgreSQL reads the next chunk while Node works on this one.
        next = acceptedRecords(manager, batchId, records[records.length - 1].id);
        const links: Partial<RecordLink>[] = [];
        const references: Partial<RecordReference>[] = [];
        const warnings: Partial<RecordWarning>[] = [];
        const rejections: Partial<Rejection>[] = [];
        // Consecutive records of one sheet kind go to their definition together.
        for (let start = 0; start < records.length; ) {
          let end = start + 1;
          while (end < records.length && records[end].entityType === records[start].entityType) end++;
          const run = records.slice(start, end);
          const outcomes = await this.mergeRun(session, run, batch);
          for (let i = 0; i < run.length; i++) {
            const record = run[i];
            const outcome = outcomes[i];
            if ('reason' in outcome) {
              // Valid on its own, but it contradicts the registry (e.g. an unknown community): rejected, with the reason.
              rejections.push({ batchId, sourceRecordId: record.id, sheet: record.sheet, recordRef: record.recordRef, columnName: columnHeader(batch, record, outcome.column), ...toStored(outcome.reason) });
              totals.demoted++;
              continue;
            }
            links.push(linkOf(record.id, outcome, references));
            for (const w of outcome.warnings ?? []) warnings.push({ batchId, sourceRecordId: record.id, sheet: record.sheet, recordRef: record.recordRef, columnName: columnHeader(batch, record, w.column), ...toStored(w.reason) });
            if (outcome.outcome === 'created') totals.created++;
            else totals.matched++;
            if (outcome.outcome === 'updated') totals.updated++;
          }
          start = end;
        }
        if (rejections.length > 0) {
          await manager.query(`UPDATE source_record SET status = 'rejected' WHERE id = ANY($1::bigint[])`, [rejections.map((r) => r.sourceRecordId)]);
          await writeRows(manager, Rejection, rejections);
        }
        await session.flush();
        await writeRows(manager, RecordLink, links);
        await writeRows(manager, RecordReference, references);
        await writeRows(manager, RecordWarning, warnings);
        totals.warnings += warnings.length;
        done += records.length;
        if (done >= analyzeAt) {
          // ANALYZE in a transaction samples the rows this transaction wrote too.
          await manager.query(`ANALYZE ${MERGED_TABLES.join(', ')}`);
          analyzeAt = done * 2;
        }
        // Progress goes on its own connection while the next chunk is merged; one report in flight at a time.
        await progress;
        progress = this.reportMatching(batchId, done, batch.accepted, context);
        progress.catch(() => undefined);
      }
      await progress;
      await reportProgress(this.dataSource, batchId, 'merging', done, batch.accepted);
      await session.completeHierarchy(batch.sourceKind?.split('+') ?? []);
      await session.flush();
      await manager.update(ImportBatch, { id: batchId }, {
        status: 'completed', created: totals.created, matched: totals.matched, updated: totals.updated, reviewPending: session.reviews.opened,
        accepted: batch.accepted - totals.demoted, rejected: batch.rejected + totals.demoted, warnings: batch.warnings + totals.warnings, finishedAt: new Date(),
      });
    });
  }

  private async reportMatching(batchId: string, done: number, total: number, context: JobContext): Promise<void> {
    await reportProgress(this.dataSource, batchId, 'matching', done, total);
    await context.progress(done, total);
  }

  private async mergeRun(session: MergeSession, run: AcceptedRecord[], batch: ImportBatch): Promise<(MergeOutcome | FieldProblem)[]> {
    const definition = this.sources.forEntity(run[0].entityType ?? '');
    if (!definition) throw new PermanentJobError(`no source definition for ${run[0].entityType} records`);
    const staged = run.map((r) => ({ id: r.id, payload: r.payload, rowHash: r.rowHash, recordRef: r.recordRef }));
    return definition.merge(staged, session, batch.id, definition.sourceKind(batch.format ?? 'xlsx'));
  }
}

/** The record fields the merge reads (not the raw row: only what the stage parsed). */
type AcceptedRecord = Pick<SourceRecord, 'id' | 'sheet' | 'recordRef' | 'entityType' | 'payload' | 'rowHash'>;

/**
 * The batch's next chunk of accepted records after `after`, in file order, read as plain rows. The
 * promise is marked handled: a chunk read ahead is never awaited when the merge fails before it.
 */
function acceptedRecords(manager: EntityManager, batchId: string, after: string): Promise<AcceptedRecord[]> {
  const read: Promise<AcceptedRecord[]> = manager.query(
    `SELECT r.id::text AS id, r.sheet, r.record_ref AS "recordRef", r.entity_type AS "entityType", r.payload, r.row_hash AS "rowHash"
       FROM source_record r WHERE r.batch_id = $1 AND r.status = 'accepted' AND r.id > $2::bigint ORDER BY r.id LIMIT $3`,
    [batchId, after, MERGE_CHUNK]);
  read.catch(() => undefined);
  return read;
}

/**
 * A record's one link row: its subject, and the organization it names in the same row (nearly
 * every person row names one); any other reference is pushed to references.
 */
function linkOf(sourceRecordId: string, outcome: MergeOutcome, references: Partial<RecordReference>[]): Partial<RecordLink> {
  const link: Partial<RecordLink> = {
    sourceRecordId, entityType: outcome.entityType, entityId: outcome.entityId, method: outcome.method, score: outcome.score ?? null, organizationId: null, organizationMethod: null,
  };
  for (const ref of outcome.references ?? []) {
    if (ref.role === 'organization' && ref.entityType === 'organization' && link.organizationId === null) {
      link.organizationId = ref.entityId;
      link.organizationMethod = ref.method;
    } else references.push({ sourceRecordId, role: ref.role, entityType: ref.entityType, entityId: ref.entityId, method: ref.method });
  }
  return link;
}

/** The header the file used for a field a merge outcome names. */
function columnHeader(batch: ImportBatch, record: AcceptedRecord, field: string | null): string | null {
  return field ? batch.columns?.[record.sheet ?? '']?.[field] ?? field : null;
}
