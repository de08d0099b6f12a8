import { ChildProcess, spawn } from 'node:child_process';
import { PROJECT_ROOT } from '@qc/config';

/** Node with these arguments in a child process, resolved once it prints `ready` on stderr. */
export function startChild(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`${nodeArgs.join(' ')} did not start within 60 s: ${said.slice(-500)}`)); }, 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      // The tail only: a worker keeps logging for as long as it runs.
      said = (said + chunk.toString('utf8')).slice(-4000);
      if (said.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${nodeArgs.join(' ')} exited with ${code}: ${said.slice(-500)}`)); });
  });
}
