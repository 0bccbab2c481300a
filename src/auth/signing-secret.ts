import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppConfig, requireJwtSecret } from '../config/config.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The secret that signs sign-in tokens: JWT_SECRET from the environment, or — in embedded mode
 * only — one generated into `<dataDir>/jwt-secret` (mode 0600) on first start and reused after.
 * It is never stored in the database, so a copy of the database signs nothing.
 */
export async function loadSigningSecret(
  config: Pick<AppConfig, 'jwtSecret' | 'databaseUrl' | 'dataDir'>,
): Promise<string> {
  requireJwtSecret(config);
  if (config.jwtSecret !== null) return config.jwtSecret;
  const file = join(config.dataDir, JWT_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== null) return existing;
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // Written whole under another name, then linked into place: a process starting at the same
  // moment either wins the link or reads the winner's complete file, never half of one.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  const secret = await readSecret(file);
  if (secret === null) throw new Error(`${file} vanished while it was being created`);
  return secret;
}

async function readSecret(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
  const secret = text.trim();
  if (Buffer.byteLength(secret, 'utf8') < 32) {
    throw new Error(
      `${file} holds no usable secret (fewer than 32 bytes); delete it to make a new one`,
    );
  }
  // Someone loosened the file's mode: only this account may read the key.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return secret;
}
