import { CommanderError } from 'commander';
import { ConfigError } from '@qc/config';
import { describeFailure, packageVersion } from './failure';
import { UsageError } from './output';

describe('describeFailure', () => {
  it('ends help and version with 0 and usage errors with 2, printing nothing more (commander has)', () => {
    expect(describeFailure(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ text: null, exitCode: 0 });
    expect(describeFailure(new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'x'"))).toEqual({ text: null, exitCode: 2 });
  });

  it('prints an expected failure as one line with exit code 2, a multi-line configuration error too', () => {
    expect(describeFailure(new UsageError('no inbox named x'))).toEqual({ text: 'qingcheng: no inbox named x', exitCode: 2 });
    const config = describeFailure(new ConfigError('invalid configuration:\n  port (PORT) = "x": bad\n  host (HOST) = 1: bad'));
    expect(config).toEqual({ text: 'qingcheng: invalid configuration: port (PORT) = "x": bad; host (HOST) = 1: bad', exitCode: 2 });
  });

  it('keeps the stack of an unexpected error (a bug) and exits 1', () => {
    const failure = describeFailure(new TypeError('x is undefined'));
    expect(failure.exitCode).toBe(1);
    expect(failure.text).toContain('failure.spec.ts');
  });

  it('reads the version from package.json', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
