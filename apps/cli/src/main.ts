#!/usr/bin/env node
import 'reflect-metadata';
import type { Command } from 'commander';
import { CommandFactory } from 'nest-commander';
import { Commander } from 'nest-commander/src/constants';
import { CliModule } from './cli.module';
import { describeFailure, packageVersion } from './failure';

// A command prints its result on stdout; only warnings and errors are logged unless LOG_LEVEL says otherwise.
process.env.LOG_LEVEL ??= 'warn';

/** Prints a failure (one line when a person can act on it) and records the exit code; the CLI still closes cleanly. */
function fail(err: Error): void {
  const failure = describeFailure(err);
  if (failure.text) process.stderr.write(`${failure.text}\n`);
  process.exitCode = failure.exitCode;
}

/** Help, version and usage errors end parsing: exit at once with their code (0 for help, 2 for a usage error). */
function endParsing(err: Error): never {
  fail(err);
  process.exit(process.exitCode);
}

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

async function main(): Promise<void> {
  const app = await CommandFactory.createWithoutRunning(CliModule, {
    logger: ['error', 'warn'],
    version: packageVersion(),
    // Commander's own errors (unknown command or option, missing argument) are one line under the CLI's name.
    outputConfiguration: { outputError: (text, write) => write(`qingcheng: ${text.replace(/^error: /, '')}`) },
    serviceErrorHandler: fail,
  });
  const program = app.get<Command>(Commander);
  // Named for what people type, not for the compiled file (main.js); subcommands report usage errors the same way.
  program.name('qingcheng');
  for (const command of everyCommand(program)) command.exitOverride(endParsing);
  try {
    await CommandFactory.runApplication(app);
  } finally {
    await app.close();
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: Error) => endParsing(err));
