import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  isSecretRefAllowed,
  loadClientConfig,
  loadConfig,
  resolvePasswordRef,
} from '../src/config';

describe('loadConfig', () => {
  it('defaults to the embedded setup: port 8080, SQLite in ./.data, local engine, demo', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      port: 8080,
      dataDir: '/srv/app/.data',
      databaseUrl: `sqlite:${join('/srv/app/.data', 'portal.db')}`,
      localEngine: true,
      demo: true,
      callbackSecret: null,
      corsOrigins: false,
      dolphin: null,
      dinky: null,
    });
  });

  it('reads DolphinScheduler and Dinky settings', () => {
    const c = loadConfig({
      DATAPORTAL_DATABASE_URL: 'mysql://root@db:3306/portal',
      DOLPHIN_URL: 'http://ds:12345/dolphinscheduler',
      DOLPHIN_TOKEN: 't0ken',
      DOLPHIN_DATASOURCE: 'doris',
      DOLPHIN_TIMEZONE: 'Asia/Shanghai',
      DINKY_URL: 'http://dinky:8888',
      DINKY_USER: 'admin',
      DINKY_PASSWORD: 'pw',
      DATAPORTAL_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(c.databaseUrl).toBe('mysql://root@db:3306/portal');
    expect(c.dolphin).toMatchObject({
      token: 't0ken',
      project: 'dataportal',
      datasource: 'doris',
      timezone: 'Asia/Shanghai',
    });
    expect(c.dinky).toMatchObject({
      url: 'http://dinky:8888',
      token: null,
      login: { username: 'admin' },
    });
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(loadConfig({ DATAPORTAL_CORS_ORIGINS: '*' }).corsOrigins).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ DOLPHIN_URL: 'http://ds' })).toThrow(/DOLPHIN_TOKEN/);
    expect(() => loadConfig({ DINKY_URL: 'http://dinky' })).toThrow(/DINKY_TOKEN/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATAPORTAL_DATABASE_URL: 'postgres://x' })).toThrow(
      /DATAPORTAL_DATABASE_URL/,
    );
    expect(() => loadConfig({ DATAPORTAL_DEMO: 'maybe' })).toThrow(/DATAPORTAL_DEMO/);
  });

  it('turns the demo and the local engine off', () => {
    const c = loadConfig({ DATAPORTAL_DEMO: 'false', DATAPORTAL_LOCAL_ENGINE: '0' });
    expect(c.demo).toBe(false);
    expect(c.localEngine).toBe(false);
  });
});

describe('loadClientConfig', () => {
  it('finds the server from DATAPORTAL_URL or PORT', () => {
    expect(loadClientConfig({}).url).toBe('http://127.0.0.1:8080');
    expect(loadClientConfig({ PORT: '9000' }).url).toBe('http://127.0.0.1:9000');
    expect(loadClientConfig({ DATAPORTAL_URL: 'http://portal:80/' }).url).toBe('http://portal:80');
  });
});

describe('resolvePasswordRef', () => {
  it('reads env: and secret: references the operator allowed', () => {
    const env = {
      DORIS_PW: 'a',
      DATAPORTAL_SECRET_WAREHOUSE_RO: 'b',
      DATAPORTAL_SECRET_REFS: 'DORIS_PW, OTHER',
    };
    expect(resolvePasswordRef('env:DORIS_PW', env)).toBe('a');
    expect(resolvePasswordRef('env:DATAPORTAL_SECRET_WAREHOUSE_RO', env)).toBe('b');
    expect(resolvePasswordRef('secret:warehouse-ro', env)).toBe('b');
    expect(resolvePasswordRef('env:MISSING', env)).toBeUndefined();
  });

  // The attack: a datasource with password_ref env:DOLPHIN_TOKEN pointed at the caller's own
  // MySQL listener made the server log in there with its DolphinScheduler token.
  it('never resolves a variable outside the allow-list', () => {
    const env = {
      DOLPHIN_TOKEN: 'dolphin-secret',
      DATAPORTAL_DATABASE_URL: 'mysql://u:pw@db/portal',
      DATAPORTAL_SECRET_REFS: 'DORIS_PW',
    };
    expect(isSecretRefAllowed('env:DOLPHIN_TOKEN', env)).toBe(false);
    expect(resolvePasswordRef('env:DOLPHIN_TOKEN', env)).toBeUndefined();
    expect(resolvePasswordRef('env:DATAPORTAL_DATABASE_URL', env)).toBeUndefined();
    expect(resolvePasswordRef('env:DATAPORTAL_SECRET_', env)).toBeUndefined();
  });
});

describe('HOST', () => {
  it('defaults to loopback; serving a network is an explicit choice', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});
