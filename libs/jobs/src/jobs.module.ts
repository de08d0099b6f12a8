import { DynamicModule, Inject, Module, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, loadConfig } from '@qc/config';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobDispatcher } from './job-dispatcher';
import { JobQueue } from './job-queue';
import { QueueName } from './job-names';

/** always: the worker app; on-demand: the CLI, which consumes only when no worker runs; never: the API. */
export type ConsumeMode = 'always' | 'on-demand' | 'never';
const CONSUME_MODE = Symbol('CONSUME_MODE');

export function redisConnection(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they must not give up on a slow command.
    maxRetriesPerRequest: null,
  };
}

@Module({})
export class JobsModule implements OnApplicationBootstrap {
  constructor(
    @Inject(CONSUME_MODE) private readonly mode: ConsumeMode,
    private readonly queue: JobQueue,
  ) {}

  /** The transport is fixed at start-up: BullMQ when REDIS_URL is set, in-process otherwise. */
  static forRoot(mode: ConsumeMode): DynamicModule {
    const config = loadConfig();
    const common: Provider[] = [JobDispatcher, { provide: CONSUME_MODE, useValue: mode }];
    if (!config.redisUrl) {
      return {
        module: JobsModule,
        global: true,
        imports: [DiscoveryModule],
        providers: [...common, InProcessJobQueue, { provide: JobQueue, useExisting: InProcessJobQueue }],
        exports: [JobQueue, InProcessJobQueue],
      };
    }
    // BullMQ is loaded only with Redis configured: without it jobs run in this process and need none of it.
    const { BullModule } = require('@nestjs/bullmq') as typeof import('@nestjs/bullmq');
    const { BullJobQueue, ImportsQueueProcessor } = require('./bullmq-job-queue') as typeof import('./bullmq-job-queue');
    return {
      module: JobsModule,
      global: true,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (appConfig: AppConfig) => ({
            connection: redisConnection(appConfig.redisUrl!),
            prefix: appConfig.queuePrefix,
          }),
        }),
        BullModule.registerQueue({ name: QueueName.Imports }),
      ],
      providers: [
        ...common,
        ...(mode === 'never' ? [] : [ImportsQueueProcessor]),
        BullJobQueue,
        { provide: JobQueue, useExisting: BullJobQueue },
      ],
      exports: [JobQueue, BullModule],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.mode === 'always') await this.queue.consumeHere();
  }
}
