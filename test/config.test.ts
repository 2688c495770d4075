import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('runs on the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'sqlite', path: 'data/dandang.sqlite' });
    expect(config.redis).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.simulatorEnabled).toBe(true);
    expect(config.loadSampleRoster).toBe(true);
  });

  it('switches to MySQL and Redis by URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.redis).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6379' });
    expect(config.loadSampleRoster).toBe(false);
  });

  it('reaches Redis through Sentinel when REDIS_SENTINELS is set, and refuses both ways at once', () => {
    const config = loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380', REDIS_SENTINEL_NAME: 'dandang', REDIS_PASSWORD: 'pw' });
    expect(config.redis).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26380 }],
      name: 'dandang',
      password: 'pw',
      sentinelPassword: undefined,
    });
    expect(loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379' }).redis).toMatchObject({ name: 'mymaster' });
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.1' })).toThrow(/REDIS_SENTINELS/);
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379', REDIS_URL: 'redis://x:6379' })).toThrow(/either REDIS_URL .* or REDIS_SENTINELS/);
  });

  it('names every bad value in one message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', DRAFT_TTL_DAYS: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL: must look like/);
    expect(problems).toMatch(/DRAFT_TTL_DAYS/);
  });
});
