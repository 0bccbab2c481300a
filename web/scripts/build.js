// `npm run build`: compiles the server (tsc) and builds the web console (vite) side by side. Each
// step is skipped when its inputs are byte-for-byte those of its last successful build (a content
// hash kept in dist/), so `npm start` after `npm ci` on a built checkout goes straight to booting.
//   node web/scripts/build.js [--only server|web] [--force]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => files(join(path, e.name)));
}

function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((p) => files(join(root, p))).sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function run(command, commandArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

function gzipKiB(dir) {
  const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const bytes = js.reduce(
    (n, f) => n + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length,
    0,
  );
  return { scripts: js.length, kib: Math.round(bytes / 1024) };
}

// The Nest project description: the server is compiled with the TypeScript project it names.
const nest = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8'));
const serverTsconfig = nest.compilerOptions?.tsConfigPath ?? 'tsconfig.build.json';

const STEPS = {
  server: {
    inputs: [
      'src',
      'workers',
      'migrations',
      'test/bench',
      'test/faults',
      'tsconfig.json',
      serverTsconfig,
      'nest-cli.json',
      'package-lock.json',
    ],
    stamp: join(root, 'dist', '.server-build-stamp'),
    output: join(root, 'dist', 'src', 'combined.js'),
    build: () =>
      run(process.execPath, [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        serverTsconfig,
      ]),
    done: () => 'server compiled (dist/)',
  },
  web: {
    inputs: ['web', 'package-lock.json'],
    stamp: join(root, 'dist', 'web', '.build-stamp'),
    output: join(root, 'dist', 'web', 'index.html'),
    build: async () => {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'web', 'vite.config.js') });
    },
    done: () => {
      const { scripts, kib } = gzipKiB(join(root, 'dist', 'web', 'assets'));
      return `web console built (dist/web): ${scripts} scripts, ${kib} KiB of JavaScript gzipped`;
    },
  },
};

async function step(name) {
  const s = STEPS[name];
  const hash = hashOf(s.inputs);
  const stamp = existsSync(s.stamp) ? readFileSync(s.stamp, 'utf8').trim() : null;
  if (!force && stamp === hash && existsSync(s.output)) {
    process.stdout.write(`${name}: up to date\n`);
    return;
  }
  const started = Date.now();
  await s.build();
  mkdirSync(join(s.stamp, '..'), { recursive: true });
  writeFileSync(s.stamp, `${hash}\n`);
  process.stdout.write(`${name}: ${s.done()} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const names = only ? [only] : ['server', 'web'];
const results = await Promise.allSettled(names.map(step));
const failed = results.filter((r) => r.status === 'rejected');
for (const f of failed) process.stderr.write(`build failed: ${f.reason?.message ?? f.reason}\n`);
process.exit(failed.length ? 1 : 0);
