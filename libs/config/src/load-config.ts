import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AppConfig, ENV_NAMES } from './app-config';

/**
 * The project root: config/, etl/ and data/ are found relative to it, wherever the process starts
 * and whether it runs from the sources or from the compiled dist/ tree.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../../..');
  }
}

export class ConfigError extends Error {}

const NUMERIC = new Set<keyof AppConfig>([
  'port', 'embeddedPostgresPort', 'importConcurrency', 'importChunkRows', 'stageRangeBytes',
  'jobAttempts', 'jobBackoffMs', 'maxUploadBytes', 'uploadTimeoutMs', 'rateLimitPerMinute', 'authFailuresPerMinute', 'importRecoveryMs',
  'importMaxFileBytes', 'importMaxUncompressedBytes', 'importMaxWholeWorkbookBytes', 'importMaxRows', 'importMaxColumns', 'importMaxCellChars', 'importMaxJsonDepth',
  'importKindMargin',
  'importMaxSharedStrings', 'importMaxSharedStringChars', 'importMaxAttempts',
]);

/** Settings given in the environment as JSON. */
const JSON_VALUED = new Set<keyof AppConfig>(['inboxes', 'reportSchedules']);

function fromEnvironment(key: keyof AppConfig, name: string, value: string): unknown {
  if (NUMERIC.has(key) && /^-?\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
  if (!JSON_VALUED.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  ${key} (${name}) is not valid JSON: ${(err as Error).message}`);
  }
}

/** One line per broken setting, nested ones named by their path (inboxes[0].cron). */
function describeErrors(errors: ValidationError[], envName: string | null = null, path = ''): string[] {
  return errors.flatMap((e) => {
    const name = envName ?? ENV_NAMES[e.property as keyof AppConfig] ?? e.property;
    const at = path === '' ? e.property : /^\d+$/.test(e.property) ? `${path}[${e.property}]` : `${path}.${e.property}`;
    const own = e.constraints ? [`  ${at} (${name}) = ${JSON.stringify(e.value)}: ${Object.values(e.constraints).join('; ')}`] : [];
    const nested = describeErrors(e.children ?? [], name, at);
    return own.length + nested.length > 0 ? [...own, ...nested] : [`  ${at} (${name}) = ${JSON.stringify(e.value)}: unknown setting`];
  });
}

function readJson(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete parsed.$comment;
    return parsed;
  } catch (err) {
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Defaults from config/default.json, then config/<NODE_ENV>.json, then the environment.
 * Throws ConfigError naming every bad setting and the variable that set it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const configDir = join(PROJECT_ROOT, 'config');
  const merged: Record<string, unknown> = {
    queuePrefix: 'qc',
    inboxes: [],
    reportSchedules: [],
    ...readJson(join(configDir, 'default.json')),
    ...(env.NODE_ENV ? readJson(join(configDir, `${env.NODE_ENV}.json`)) : {}),
  };
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof AppConfig, string][]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    merged[key] = fromEnvironment(key, name, value);
  }
  const config = plainToInstance(AppConfig, merged);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ConfigError(`invalid configuration:\n${describeErrors(errors).join('\n')}`);
  const underProject = (path: string) => (isAbsolute(path) ? path : resolve(PROJECT_ROOT, path));
  config.dataDir = underProject(config.dataDir);
  for (const inbox of config.inboxes) {
    inbox.folder = underProject(inbox.folder);
    inbox.archiveFolder = underProject(inbox.archiveFolder);
    inbox.quarantineFolder = underProject(inbox.quarantineFolder);
  }
  for (const schedule of config.reportSchedules) schedule.folder = underProject(schedule.folder);
  return config;
}
