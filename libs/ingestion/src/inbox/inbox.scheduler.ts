import { Inject, Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, InboxConfig } from '@qc/config';
import { LOGGER, Logger } from '@qc/logging';
import { CronJob } from 'cron';
import { InboxService } from './inbox.service';

/** Runs a pass of every configured inbox on its cron schedule (the worker starts it; `qingcheng inbox run` too). */
@Injectable()
export class InboxScheduler {
  constructor(
    private readonly inboxes: InboxService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Registers one cron job per inbox (all configured, unless told which); the schedule module stops them at shutdown. */
  start(inboxes: InboxConfig[] = this.config.inboxes): void {
    for (const inbox of inboxes) {
      const job = CronJob.from({
        cronTime: inbox.cron,
        // A tick that comes while this process's pass still runs is skipped, not queued.
        waitForCompletion: true,
        onTick: async () => {
          await this.inboxes.runPass(inbox).catch((err: Error) => this.logger.error({ inbox: inbox.name, err: err.message }, 'inbox pass failed'));
        },
        start: true,
      });
      this.registry.addCronJob(`inbox:${inbox.name}`, job);
      this.logger.info({ inbox: inbox.name, cron: inbox.cron }, 'inbox scheduled');
    }
  }
}
