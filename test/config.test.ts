import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('runs on the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'sqlite', path: 'data/dandang.sqlite' });
    expect(config.redisUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.simulatorEnabled).toBe(true);
    expect(config.loadSampleRoster).toBe(true);
  });

  it('switches to MySQL and Redis by URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/test' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.loadSampleRoster).toBe(false);
  });

  it('reads the 建议办理期限 of follow-up work as the zone’s settings, with their defaults', () => {
    expect(loadConfig({}).deadlines).toEqual({ reportToCity: 15, execution: 30, admonition: 30, rectification: 60, rootCause: 90, evaluation: 30, clearance: 30 });
    expect(loadConfig({ SUGGESTED_DAYS_REPORT_TO_CITY: '10', SUGGESTED_DAYS_CLEARANCE: '7' }).deadlines).toMatchObject({ reportToCity: 10, clearance: 7, execution: 30 });
    expect(() => loadConfig({ SUGGESTED_DAYS_ROOT_CAUSE: '0' })).toThrow(/SUGGESTED_DAYS_ROOT_CAUSE/);
    expect(() => loadConfig({ SUGGESTED_DAYS_EXECUTION: 'a month' })).toThrow(/SUGGESTED_DAYS_EXECUTION/);
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
