import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { AppConfig } from '@qc/config';
import { INBOX_RUN_OUTCOMES, InboxRun, InboxRunOutcome } from '@qc/database';
import { InboxRuns } from '@qc/ingestion';
import { CronTime } from 'cron';

/** Passes shown per inbox. */
const LAST_RUNS = 10;

export class InboxRunFileDto {
  @ApiProperty({ example: '社区基本情况统计表.csv', description: 'the file name, masked as its batch keeps it' }) file: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ example: 'completed', description: 'the batch\'s status: completed and unchanged are archived, the rest quarantined' }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'why a quarantined file was not imported' }) reason: string | null;
}

export class InboxRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'null while the pass runs' }) finishedAt: Date | null;
  @ApiProperty({ enum: INBOX_RUN_OUTCOMES, description: 'imported: every file archived; quarantined: one or more refused or failed; nothing: no file was waiting (only the latest such pass is kept); failed: the pass stopped' })
  outcome: InboxRunOutcome;
  @ApiProperty({ type: [InboxRunFileDto] }) files: InboxRunFileDto[];
  @ApiProperty({ nullable: true, type: String, description: 'why the pass failed' }) error: string | null;

  static from(r: InboxRun): InboxRunDto {
    return { id: r.id, startedAt: r.startedAt, finishedAt: r.finishedAt, outcome: r.outcome, files: r.files, error: r.error };
  }
}

export class InboxDto {
  @ApiProperty({ example: 'civil-affairs' }) name: string;
  @ApiProperty({ description: 'the folder files are dropped into, as configured' }) folder: string;
  @ApiProperty({ example: '*/5 * * * *', description: 'cron: 5 fields, or 6 with seconds first' }) cron: string;
  @ApiProperty({ description: 'when the worker next looks (if it runs)' }) nextRunAt: Date;
  @ApiProperty() archiveFolder: string;
  @ApiProperty() quarantineFolder: string;
  @ApiProperty({ type: [InboxRunDto], description: `the last ${LAST_RUNS} passes, newest first` }) lastRuns: InboxRunDto[];
}

@ApiTags('imports')
@ApiBearerAuth()
@RequireScopes('imports:read')
@Controller('v1/inboxes')
export class InboxesController {
  constructor(private readonly config: AppConfig, private readonly runs: InboxRuns) {}

  @Get()
  @ApiOperation({ summary: 'The scheduled inboxes (QC_INBOXES): folder, schedule, next run and their last passes with the files each took' })
  @ApiOkResponse({ type: [InboxDto] })
  async list(): Promise<InboxDto[]> {
    const inboxes = this.config.inboxes;
    const runs = await this.runs.latest(inboxes.map((i) => i.name), LAST_RUNS);
    return inboxes.map((i) => ({
      name: i.name, folder: i.folder, cron: i.cron, nextRunAt: new CronTime(i.cron).sendAt().toJSDate(),
      archiveFolder: i.archiveFolder, quarantineFolder: i.quarantineFolder, lastRuns: (runs.get(i.name) ?? []).map(InboxRunDto.from),
    }));
  }
}
