import { ConfigError, loadConfig, PROJECT_ROOT } from './load-config';

describe('loadConfig', () => {
  it('reads defaults and resolves the data folder under the project', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(`${PROJECT_ROOT}/data`);
  });

  it('lets the environment override a setting', () => {
    const config = loadConfig({ PORT: '8080', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.port).toBe(8080);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('names the variable and the rule for a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      expect((err as Error).message).toContain('port (PORT) = "eighty"');
      expect((err as Error).message).toContain('DATABASE_URL must start with postgres://');
    }
  });
});
