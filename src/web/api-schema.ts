import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/config.js';
import { applyApiPrefix, openApiDocument } from '../runtime.js';
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
 * The OpenAPI document the combined server (`npm start`) serves at /api/docs-json, built without a
 * database: the application is created in preview mode (modules and controllers, no providers run).
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
  try {
    applyApiPrefix(app);
    return openApiDocument(app);
  } finally {
    await app.close().catch(() => undefined);
  }
}
