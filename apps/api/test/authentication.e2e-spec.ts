import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';

describe('service authentication with bearer tokens', () => {
  const token = 'job-board-0123456789abcdef';
  let app: NestFastifyApplication;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'escrow-auth-'));
    app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', API_TOKENS: `${token},payments-gateway-0123456789` }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 401 problem+json without a token or with an unknown one, and appends nothing', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`]) {
      const req = request(app.getHttpServer()).post('/v1/contracts').set('X-Actor-Id', 'c').set('X-Actor-Role', 'user').send({});
      if (authorization) req.set('Authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    const feed = await request(app.getHttpServer()).get('/v1/audit/events').set('Authorization', `Bearer ${token}`).expect(200);
    expect(feed.body.events).toEqual([]);
  });

  it('lets a known token through and keeps health and docs open', async () => {
    await request(app.getHttpServer()).get('/v1/fees/quote?amount=10000').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app.getHttpServer()).get('/v1/fees/quote?amount=10000').expect(401);
    await request(app.getHttpServer()).get('/health').expect(200);
    await request(app.getHttpServer()).get('/openapi.json').expect(200);
  });
});
