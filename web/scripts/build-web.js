// Builds the web console into dist/web, unless its sources and the lock file are unchanged since
// the last build (a content hash kept beside the output), so `npm start` stays fast.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const webDir = join(root, 'web');
const outDir = join(root, 'dist', 'web');
const stampFile = join(outDir, '.build-stamp');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...files(webDir), join(root, 'package-lock.json')].sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Total gzip size of the console's JavaScript, in bytes. */
function gzipSizeOfScripts(dir = join(outDir, 'assets')) {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
}

const force = process.argv.includes('--force');
const hash = sourceHash();
const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (!force && stamp === hash && existsSync(join(outDir, 'index.html'))) {
  process.stdout.write('web console up to date (dist/web)\n');
} else {
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.js') });
  writeFileSync(stampFile, `${hash}\n`);
  const js = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  const raw = js.reduce((n, f) => n + statSync(join(outDir, 'assets', f)).size, 0);
  process.stdout.write(
    `web console built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${js.length} scripts, ` +
      `${(raw / 1024).toFixed(0)} KiB, ${(gzipSizeOfScripts() / 1024).toFixed(0)} KiB gzip\n`,
  );
}
