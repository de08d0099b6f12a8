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

  it('reads inboxes from the environment as JSON and resolves their folders under the project', () => {
    const inbox = { name: 'street-7', folder: 'in', cron: '0 */10 * * * *', archiveFolder: '/srv/archive', quarantineFolder: 'bad' };
    const config = loadConfig({ QC_INBOXES: JSON.stringify([inbox]) });
    expect(config.inboxes).toEqual([{ ...inbox, folder: `${PROJECT_ROOT}/in`, quarantineFolder: `${PROJECT_ROOT}/bad` }]);
  });

  it('names the inbox setting that is wrong', () => {
    const inbox = { name: 'a', folder: 'in', cron: 'every minute', archiveFolder: 'done', quarantineFolder: 'bad' };
    expect(() => loadConfig({ QC_INBOXES: JSON.stringify([inbox, inbox]) })).toThrow(/inboxes\[0\]\.cron \(QC_INBOXES\) = "every minute": cron must be/);
    expect(() => loadConfig({ QC_INBOXES: JSON.stringify([{ ...inbox, cron: '* * * * *' }, { ...inbox, cron: '* * * * *' }]) })).toThrow('inbox names must be unique');
    expect(() => loadConfig({ QC_INBOXES: '[{' })).toThrow('inboxes (QC_INBOXES) is not valid JSON');
  });
});
