import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER, JobContext } from './job-handler';
import { JobName, JobPayloads } from './job-names';

type Handler = (data: unknown, context: JobContext) => Promise<unknown>;

/** Finds the @OnJob handlers and runs a job by name; the same code path for BullMQ and in-process. */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, prototype[method]);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`job ${name} has two handlers`);
        this.handlers.set(name, (prototype[method] as Handler).bind(instance));
      }
    }
  }

  /** Refuses to start a consuming process that could not run every job. */
  assertComplete(): void {
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  }

  async dispatch<N extends JobName>(name: N, data: JobPayloads[N], context: JobContext): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler for job ${name}`);
    return handler(data, context);
  }
}
