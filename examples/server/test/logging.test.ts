import { Writable } from 'node:stream';
import { openStore, PortalService } from '@dataportal/sdk';
import { pino } from 'pino';
import PinoPretty from 'pino-pretty';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import {
  bannerFacts,
  bannerText,
  chooseLogFormat,
  PRETTY_OPTIONS,
  serverLoggerOptions,
} from '../src/logging';

function sink(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

async function appLogging(logger: pino.Logger) {
  const store = await openStore({ url: 'sqlite::memory:', migrate: true });
  const app = await buildApp({
    portal: new PortalService({ store }),
    loggerInstance: logger,
    auth: 'off',
  });
  return {
    app,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

describe('logs for people', () => {
  it('is pretty on a terminal and JSON in a pipe, unless DATAPORTAL_LOG_FORMAT says', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(loadConfig({ DATAPORTAL_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(serverLoggerOptions('info', 'pretty').transport).toMatchObject({
      target: 'pino-pretty',
    });
    expect(serverLoggerOptions('info', 'json').transport).toBeUndefined();
  });

  it('logs one JSON line per request, and none for /healthz', async () => {
    const out = sink();
    const { app, close } = await appLogging(pino({ level: 'info' }, out.stream));
    await app.inject({ url: '/api/v1/tables?limit=1' });
    await app.inject({ url: '/healthz' });
    await close();
    const requests = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    const lines = requests.filter((r) => typeof r['url'] === 'string');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      url: '/api/v1/tables?limit=1',
      statusCode: 200,
      msg: expect.stringMatching(/^GET \/api\/v1\/tables\?limit=1 200 [\d.]+ ms$/),
    });
  });

  it('prints a request as one readable line through pino-pretty', async () => {
    const out = sink();
    const pretty = PinoPretty({ ...PRETTY_OPTIONS, colorize: false, destination: out.stream });
    const { app, close } = await appLogging(pino({ level: 'info' }, pretty));
    await app.inject({ method: 'GET', url: '/api/v1/tasks/nope' });
    await close();
    const line = out.lines().find((l) => l.includes('/api/v1/tasks/nope'));
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/api\/v1\/tasks\/nope 404 [\d.]+ ms/,
    );
    expect(line).not.toContain('{"');
  });

  it('has a banner with the URL, the store, every engine and the docs', () => {
    const config = loadConfig(
      { DATAPORTAL_DATABASE_URL: 'mysql://etl:s3cret@db:3306/portal' },
      '/srv',
    );
    const text = bannerText(bannerFacts(config, 'http://localhost:8080'));
    expect(text).toContain('DataPortal is listening on http://localhost:8080');
    expect(text).toContain('http://localhost:8080/docs');
    expect(text).toContain('mysql://etl:***@db:3306/portal');
    expect(text).not.toContain('s3cret');
    expect(text).toContain(
      'local: embedded, runs batch SQL on SQLite files in /srv/.data/warehouse',
    );
    expect(text).toContain('dolphin: not configured (set DOLPHIN_URL and DOLPHIN_TOKEN)');
    expect(text).toContain('dinky: not configured');
  });
});
