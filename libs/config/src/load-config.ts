import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { AppConfig, ENV_NAMES } from './app-config';

/** The project root: config/, etl/ and data/ are found relative to it, wherever the process starts. */
export const PROJECT_ROOT = resolve(__dirname, '../../..');

export class ConfigError extends Error {}

const NUMERIC = new Set<keyof AppConfig>([
  'port', 'embeddedPostgresPort', 'importConcurrency', 'importChunkRows',
  'jobAttempts', 'jobBackoffMs', 'maxUploadBytes', 'rateLimitPerMinute',
]);

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
    ...readJson(join(configDir, 'default.json')),
    ...(env.NODE_ENV ? readJson(join(configDir, `${env.NODE_ENV}.json`)) : {}),
  };
  for (const [key, name] of Object.entries(ENV_NAMES) as [keyof AppConfig, string][]) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    merged[key] = NUMERIC.has(key) && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  }
  const config = plainToInstance(AppConfig, merged);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const name = ENV_NAMES[e.property as keyof AppConfig] ?? e.property;
      const why = Object.values(e.constraints ?? {}).join('; ') || 'unknown setting';
      return `  ${e.property} (${name}) = ${JSON.stringify(e.value)}: ${why}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  if (!isAbsolute(config.dataDir)) config.dataDir = resolve(PROJECT_ROOT, config.dataDir);
  return config;
}
