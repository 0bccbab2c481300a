import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';

describe('HTTP hardening', () => {
  let databaseUrl: string;
  let app: TestApp;
  let production: TestApp;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    production = await startTestApp({
      databaseUrl,
      workers: false,
      env: { NODE_ENV: 'production' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await production?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('answers with security headers', async () => {
    const res = await request(app.baseUrl).get('/api/v1/health').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the API documentation in development and not in production', async () => {
    await request(app.baseUrl).get('/api/docs-json').expect(200);
    await request(production.baseUrl).get('/api/docs-json').expect(404);
    await request(production.baseUrl).get('/api/docs').expect(404);
  });
});
