import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, ReportScheduleConfig } from '@qc/config';
import { LOGGER, Logger } from '@qc/logging';
import { formatPersonTime } from '@qc/time';
import { CronJob } from 'cron';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from './report-output';
import { ReportsService } from './reports.service';

/** yyyy-mm-dd-hhmm in Hohhot time: file names sort by when they were made. */
function fileStamp(now: Date): string {
  return formatPersonTime(now).replace(' ', '-').replace(':', '');
}

/** Writes the configured reports into their folders on their cron schedules (the worker starts it), personal data masked. */
@Injectable()
export class ReportScheduler implements OnModuleDestroy {
  private readonly jobs: CronJob[] = [];

  constructor(private readonly reports: ReportsService, private readonly config: AppConfig, @Inject(LOGGER) private readonly logger: Logger) {}

  start(schedules: ReportScheduleConfig[] = this.config.reportSchedules): void {
    for (const schedule of schedules) {
      this.jobs.push(CronJob.from({
        cronTime: schedule.cron,
        // A tick that comes while the previous report is still being written is skipped, not queued.
        waitForCompletion: true,
        onTick: async () => {
          await this.generate(schedule).catch((err: Error) => this.logger.error({ report: schedule.report, scope: schedule.scope, err: err.message }, 'scheduled report failed'));
        },
        start: true,
      }));
      this.logger.info({ report: schedule.report, scope: schedule.scope, cron: schedule.cron, folder: schedule.folder }, 'report scheduled');
    }
  }

  /** Writes one report now; the file appears under its final name only once complete. Resolves with its path. */
  async generate(schedule: ReportScheduleConfig, now = new Date()): Promise<string> {
    const format = schedule.format ?? 'xlsx';
    const table = await this.reports.open(schedule.report, {
      scope: schedule.scope ?? null,
      reader: { actor: `schedule:${schedule.report}`, apiKeyId: null, mayReadPii: false },
    });
    mkdirSync(schedule.folder, { recursive: true });
    const file = join(schedule.folder, `${schedule.report}-${schedule.scope ?? 'all'}-${fileStamp(now)}.${format}`);
    const partial = `${file}.part`;
    try {
      const rows = await writeReport(table, format, createWriteStream(partial));
      renameSync(partial, file);
      this.logger.info({ report: schedule.report, scope: schedule.scope, file, rows }, 'scheduled report written');
      return file;
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
  }

  onModuleDestroy(): void {
    for (const job of this.jobs) void job.stop();
  }
}
