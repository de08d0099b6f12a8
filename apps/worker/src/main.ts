import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@qc/config';
import { LOGGER, Logger, PinoNestLogger } from '@qc/logging';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  if (!loadConfig().redisUrl) {
    process.stderr.write('the worker needs REDIS_URL; without it, jobs run inside the process that starts them (the CLI or the API)\n');
    process.exit(2);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  logger.info('worker consuming import jobs');
}

main().catch((err: Error) => {
  process.stderr.write(`the worker could not start: ${err.message}\n`);
  process.exit(1);
});
