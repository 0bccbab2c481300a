import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../runtime.js';
import { renderApiSchema, SCHEMA_FILE, servedOpenApiDocument } from './api-schema.js';

/** `npm run api:generate`: rewrites the console's API types from the server's OpenAPI document. */
async function main(): Promise<void> {
  const root = projectRoot();
  const schema = await renderApiSchema(await servedOpenApiDocument(), root);
  await writeFile(join(root, SCHEMA_FILE), schema);
  process.stdout.write(`${SCHEMA_FILE} written (${schema.length} characters)\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`api:generate failed: ${String(error)}\n`);
  process.exit(1);
});
