import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { renderApiSchema, SCHEMA_FILE, servedOpenApiDocument } from '../../src/web/api-schema.js';
import { startConsoleApp, type ConsoleApp } from './support/console-app.js';

let app: ConsoleApp;
let served: object;

beforeAll(async () => {
  app = await startConsoleApp();
  served = (await (await fetch(`${app.baseUrl}/api/docs-json`)).json()) as object;
});

afterAll(async () => {
  await app?.close();
});

describe('typed API client of the console', () => {
  test('the checked-in schema matches the OpenAPI document the server serves', async () => {
    const root = process.cwd();
    const expected = await renderApiSchema(served, root);
    const checkedIn = await readFile(join(root, SCHEMA_FILE), 'utf8');
    if (checkedIn !== expected) {
      throw new Error(
        `${SCHEMA_FILE} is out of date with the server's API: run npm run api:generate and commit the result`,
      );
    }
  });

  test('the generator, which needs no database, reads the same document', async () => {
    expect(await servedOpenApiDocument()).toEqual(served);
  });

  test('the document covers what the console calls', () => {
    const paths = Object.keys((served as { paths: Record<string, unknown> }).paths);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/tasks/{id}/submissions',
      '/api/v1/submissions/{id}/reject',
      '/api/v1/plans/{id}/progress',
      '/api/v1/outbox',
      '/api/v1/reminder-policy/preview',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
