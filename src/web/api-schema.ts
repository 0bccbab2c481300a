import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/config.js';
import { configureHttp } from '../runtime.js';
import { WebModule } from './web.module.js';

/** Where the console's typed API client reads its types from (checked in). */
export const SCHEMA_FILE = 'web/src/api/schema.d.ts';

const HEADER = `/**
 * Types of the Duban HTTP API, generated from its OpenAPI document by \`npm run api:generate\`.
 * Do not edit: change the server, then regenerate. A test fails when this file is out of date.
 */

`;

/** The TypeScript declarations of an OpenAPI document, formatted as the repository formats code. */
export async function renderApiSchema(document: object, root: string): Promise<string> {
  const source = HEADER + astToString(await openapiTS(document as never, { alphabetize: true }));
  const options = (await prettier.resolveConfig(`${root}/${SCHEMA_FILE}`)) ?? {};
  return prettier.format(source, { ...options, parser: 'typescript' });
}

/**
 * The OpenAPI document the combined server (`npm start`) serves at /api/docs-json, read without a
 * database: the application is built in preview mode (modules and controllers, no providers run)
 * and only its HTTP handlers are mounted.
 */
export async function servedOpenApiDocument(): Promise<object> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'error', SEED_ON_EMPTY: 'false' });
  @Module({
    imports: [
      AppModule.register({
        config,
        databaseUrl: 'postgres://unused@127.0.0.1:1/unused',
        role: 'all',
      }),
      WebModule,
    ],
  })
  class DocumentModule {}
  const app = await NestFactory.create(DocumentModule, { preview: true, logger: false });
  configureHttp(app);
  const server = createServer(app.getHttpAdapter().getInstance());
  try {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/docs-json`);
    if (!res.ok) throw new Error(`/api/docs-json answered ${res.status}`);
    return (await res.json()) as object;
  } finally {
    server.close();
    await app.close().catch(() => undefined);
  }
}
