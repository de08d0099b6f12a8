import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, InboxConfig } from '@qc/config';
import { Logger } from '@qc/logging';
import { InboxScheduler } from './inbox.scheduler';
import { InboxService } from './inbox.service';

describe('InboxScheduler', () => {
  const inbox: InboxConfig = { name: 'civil-affairs', folder: '/in', cron: '*/5 * * * *', archiveFolder: '/done', quarantineFolder: '/bad' };
  const logger = { info: jest.fn(), error: jest.fn() } as unknown as Logger;
  const registry = new SchedulerRegistry();

  afterEach(() => {
    for (const name of registry.getCronJobs().keys()) registry.deleteCronJob(name);
  });

  it('registers one running job per inbox, each tick a pass, a second tick skipped while the first runs', async () => {
    let finish: () => void = () => undefined;
    const runPass = jest.fn(() => new Promise<[]>((resolve) => { finish = () => resolve([]); }));
    const scheduler = new InboxScheduler({ runPass } as unknown as InboxService, registry, { inboxes: [inbox] } as AppConfig, logger);
    scheduler.start();

    const job = registry.getCronJob('inbox:civil-affairs');
    expect(job.isActive).toBe(true);
    const first = job.fireOnTick();
    const second = job.fireOnTick();
    finish();
    await Promise.all([first, second]);
    expect(runPass).toHaveBeenCalledTimes(1);
    expect(runPass).toHaveBeenCalledWith(inbox);
  });

  it('logs a failed pass instead of throwing it out of the timer', async () => {
    const runPass = jest.fn().mockRejectedValue(new Error('database down'));
    new InboxScheduler({ runPass } as unknown as InboxService, registry, { inboxes: [inbox] } as AppConfig, logger).start();
    await registry.getCronJob('inbox:civil-affairs').fireOnTick();
    expect(logger.error).toHaveBeenCalledWith({ inbox: 'civil-affairs', err: 'database down' }, 'inbox pass failed');
  });
});
