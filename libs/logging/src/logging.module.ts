import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import { Logger } from 'pino';
import { createLogger } from './logger';

export const LOGGER = Symbol('LOGGER');
export type { Logger };

@Global()
@Module({
  providers: [{ provide: LOGGER, inject: [AppConfig], useFactory: (config: AppConfig) => createLogger(config.logLevel, config.logFile) }],
  exports: [LOGGER],
})
export class LoggingModule {}
