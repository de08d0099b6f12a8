import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModule } from '@nestjs/testing';
import { createApi } from '../../apps/api/src/bootstrap';
import { AuthModule } from '../../libs/auth/src';
import { ConfigModule } from '../../libs/config/src';
import { DatabaseModule } from '../../libs/database/src';
import { DivisionsModule, DivisionsService } from '../../libs/divisions/src';
import { IngestionModule } from '../../libs/ingestion/src';
import { JobQueue, JobsModule } from '../../libs/jobs/src';
import { LoggingModule } from '../../libs/logging/src';
import { PiiModule } from '../../libs/pii/src';

export type Transport = 'in-process' | 'bullmq';

/**
 * The registry's modules as the CLI assembles them, against the current DATABASE_URL, with the
 * chosen job transport (BullMQ needs REDIS_URL; in-process hides it while the module is built).
 */
export async function startRegistry(transport: Transport): Promise<TestingModule> {
  const redisUrl = process.env.REDIS_URL;
  if (transport === 'in-process') delete process.env.REDIS_URL;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('on-demand'),
        AuthModule, DivisionsModule, IngestionModule,
      ],
    }).compile();
    await moduleRef.init();
    await moduleRef.get(JobQueue).consumeHere();
    await moduleRef.get(DivisionsService).seedReference();
    return moduleRef;
  } finally {
    if (redisUrl) process.env.REDIS_URL = redisUrl;
  }
}

/** The HTTP API as `qingcheng serve` builds it, initialised and ready for `inject`, against the current DATABASE_URL. */
export async function startApi(): Promise<NestFastifyApplication> {
  const app = await createApi();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
