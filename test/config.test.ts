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

  it('reads the 建议办理期限 of follow-up work as the zone’s settings, with their defaults', () => {
    expect(loadConfig({}).deadlines).toEqual({ reportToCity: 15, execution: 30, admonition: 30, rectification: 60, rootCause: 90, evaluation: 30, clearance: 30 });
    expect(loadConfig({ SUGGESTED_DAYS_REPORT_TO_CITY: '10', SUGGESTED_DAYS_CLEARANCE: '7' }).deadlines).toMatchObject({ reportToCity: 10, clearance: 7, execution: 30 });
    expect(() => loadConfig({ SUGGESTED_DAYS_ROOT_CAUSE: '0' })).toThrow(/SUGGESTED_DAYS_ROOT_CAUSE/);
    expect(() => loadConfig({ SUGGESTED_DAYS_EXECUTION: 'a month' })).toThrow(/SUGGESTED_DAYS_EXECUTION/);
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

  it('reads the zone’s own numbers for adjusted-cadre talks and 激励办法, and refuses ones that mean nothing', () => {
    const defaults = loadConfig({});
    expect(defaults.talks).toMatchObject({ adjustedTalkPeriod: 'quarter', adjustedTalkSpan: 'influence' });
    expect(defaults.incentives).toEqual({ winningShares: { 镇街园: 50, 特色园区: 30, 综合保障部门: 20, 经济服务部门: 20 }, excellentShareRaise: 5, excellentShareLower: 5 });
    const set = loadConfig({ ADJUSTED_CADRE_TALK_SPAN: '18', WINNING_UNIT_SHARES: '40，30,25,25', EXCELLENT_SHARE_RAISE_POINTS: '3' });
    expect(set.talks.adjustedTalkSpan).toBe(18);
    expect(set.incentives.winningShares).toEqual({ 镇街园: 40, 特色园区: 30, 综合保障部门: 25, 经济服务部门: 25 });
    expect(set.incentives.excellentShareRaise).toBe(3);
    for (const [name, value] of [['ADJUSTED_CADRE_TALK_SPAN', '0'], ['ADJUSTED_CADRE_TALK_SPAN', 'forever'], ['WINNING_UNIT_SHARES', '50,30,20'], ['WINNING_UNIT_SHARES', '50,30,20,0'], ['EXCELLENT_SHARE_LOWER_POINTS', '-5']]) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(new RegExp(name));
    }
  });
});
