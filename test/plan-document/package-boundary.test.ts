import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/*
 * src/plan-document is a package: pure library code with one entry point. Nothing in it imports
 * Nest, TypeORM, pg or BullMQ, and nothing outside it imports anything but its index.
 */

const ROOT = process.cwd();
const PACKAGE = join(ROOT, 'src', 'plan-document');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(?:ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Module specifiers of the static and dynamic imports and re-exports of a file. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]/g))
    found.push(m[1]);
  for (const m of source.matchAll(/(?:import\s*\(|import\s+)['"]([^'"]+)['"]/g)) found.push(m[1]);
  return found;
}

describe('the plan-document package', () => {
  it('imports no Nest, TypeORM, pg or BullMQ module', () => {
    const offending = sourceFiles(PACKAGE).flatMap((file) =>
      importsOf(file)
        .filter((m) => /^(?:@nestjs\/|typeorm$|pg$|bullmq$|ioredis$|@nestjs$)/.test(m))
        .map((m) => `${relative(ROOT, file)} → ${m}`),
    );
    expect(offending).toEqual([]);
  });

  it('imports nothing of the application outside itself', () => {
    const offending = sourceFiles(PACKAGE).flatMap((file) =>
      importsOf(file)
        .filter((m) => m.startsWith('.') && !join(file, '..', m).startsWith(PACKAGE + sep))
        .map((m) => `${relative(ROOT, file)} → ${m}`),
    );
    expect(offending).toEqual([]);
  });

  it('is imported by the rest of the code base through its index only', () => {
    const files = ['src', 'workers', 'test'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const offending = files
      .filter((file) => !file.startsWith(PACKAGE + sep))
      .flatMap((file) =>
        importsOf(file)
          .filter((m) => m.startsWith('.'))
          .map((m) => join(file, '..', m))
          .filter((target) => target.startsWith(PACKAGE + sep))
          .filter((target) => target !== join(PACKAGE, 'index.js'))
          .map((target) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`),
      );
    expect(files.length).toBeGreaterThan(50);
    expect(offending).toEqual([]);
  });
});
