#!/usr/bin/env node
import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError } from '@qc/config';
import { CliModule } from './cli.module';

// A command prints its result on stdout; only warnings and errors are logged unless LOG_LEVEL says otherwise.
process.env.LOG_LEVEL ??= 'warn';

/** Errors a person can act on are printed as one line; anything else is a bug and keeps its stack. */
function report(err: Error): never {
  const known = err instanceof ConfigError || ['UsageError', 'ApiKeyError', 'ImportRequestError', 'SchemaBehindError', 'CommanderError'].includes(err.constructor.name);
  process.stderr.write(`qingcheng: ${known ? err.message : err.stack ?? err.message}\n`);
  process.exit(known ? 2 : 1);
}

CommandFactory.run(CliModule, { logger: ['error', 'warn'], errorHandler: report, serviceErrorHandler: report })
  .then(() => process.exit(process.exitCode ?? 0))
  .catch(report);
