import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What makes a password acceptable. No Nest, no database: every place that sets a password
 * (user:create, an admin's reset, a user's own change, ADMIN_PASSWORD) asks `passwordProblem`.
 */
export const MIN_PASSWORD_LENGTH = 10;

export interface PasswordOwner {
  email?: string | null;
  name?: string | null;
}

const COMMON_FILE = 'common-passwords.txt';
let common: ReadonlySet<string> | null = null;

/** The shipped list of common passwords, read once. It sits beside this file in src/auth. */
export function commonPasswords(): ReadonlySet<string> {
  if (common) return common;
  // Compiled code runs from dist/src/auth, where the data file is not copied: look in the source tree.
  let dir = dirname(fileURLToPath(import.meta.url));
  let file = join(dir, COMMON_FILE);
  while (!existsSync(file)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${COMMON_FILE} not found`);
    dir = parent;
    file = join(dir, 'src', 'auth', COMMON_FILE);
  }
  common = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
  return common;
}

/** Character runs people type instead of a password: alphabet, digits, keyboard rows and columns. */
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  '`1234567890-=',
  'qwertyuiop[]\\',
  "asdfghjkl;'",
  'zxcvbnm,./',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/',
  'qazwsxedcrfvtgbyhnujmikolp',
  '1q2w3e4r5t6y7u8i9o0p',
];

let trigrams: ReadonlySet<string> | null = null;
function sequenceTrigrams(): ReadonlySet<string> {
  if (trigrams) return trigrams;
  const all = new Set<string>();
  for (const seq of SEQUENCES) {
    for (const s of [seq, [...seq].reverse().join('')]) {
      for (let i = 0; i + 3 <= s.length; i++) all.add(s.slice(i, i + 3));
    }
  }
  trigrams = all;
  return all;
}

const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

function isCommon(lower: string): boolean {
  const list = commonPasswords();
  if (list.has(lower)) return true;
  // A common word with digits or symbols around it ("password2024!", "2024dragon") is no better.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core.length >= 4 && list.has(core)) return true;
  // Nor is one spelled with digits for letters ("p@ssw0rd1").
  const trimmed = lower.replace(/^\d+|[\d!@#$%^&*()_+\-=.?]+$/g, '');
  const unleet = [...trimmed].map((c) => LEET[c] ?? c).join('');
  return unleet.length >= 4 && unleet !== trimmed && list.has(unleet);
}

function mostlyRepeated(chars: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  const most = Math.max(...counts.values());
  return most * 2 >= chars.length || counts.size <= 3;
}

/** True when, after taking out keyboard/alphabet/digit runs and repeats of three or more, almost nothing is left. */
function mostlySequence(chars: readonly string[]): boolean {
  const known = sequenceTrigrams();
  const covered = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i + 3 <= chars.length; i++) {
    const [a, b, c] = [chars[i], chars[i + 1], chars[i + 2]];
    if (known.has(a + b + c) || (a === b && b === c))
      covered[i] = covered[i + 1] = covered[i + 2] = true;
  }
  return covered.filter((x) => !x).length < 4;
}

/** The e-mail's local part (and its pieces) and the name, as they could appear in a password. */
function personalWords(owner: PasswordOwner): { words: string[]; kind: 'email' | 'name' }[] {
  const out: { words: string[]; kind: 'email' | 'name' }[] = [];
  const local = owner.email?.trim().toLowerCase().split('@')[0] ?? '';
  if (local) {
    const pieces = local.split(/[._+-]+/).filter((p) => p.length >= 4);
    out.push({
      kind: 'email',
      words: [local, local.replace(/[._+-]+/g, ''), ...pieces].filter((w) => w.length >= 3),
    });
  }
  const name = owner.name?.trim().toLowerCase() ?? '';
  if (name) {
    const pieces = name.split(/\s+/).filter((p) => p.length >= 4);
    out.push({
      kind: 'name',
      // Two Chinese characters make a name; two Latin letters are in too many words.
      words: [name, name.replace(/\s+/g, ''), ...pieces].filter(
        (w) => w.length >= 3 || (w.length === 2 && /[^\p{ASCII}]/u.test(w)),
      ),
    });
  }
  return out;
}

/** Why `password` may not be used, in Chinese for the user; null when it is acceptable. */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  const chars = [...password.toLowerCase()];
  if (chars.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  const lower = chars.join('');
  if (isCommon(lower)) return '密码过于常见，容易被猜中，请换一个';
  if (mostlyRepeated(chars)) return '密码不能主要由重复的字符组成（如 aaaaaa、ababab）';
  if (mostlySequence(chars)) return '密码不能是键盘或字母、数字顺序（如 qwerty、abcdef、123456）';
  for (const { kind, words } of personalWords(owner)) {
    if (words.some((w) => lower.includes(w))) {
      return kind === 'email' ? '密码不能包含邮箱名（@ 之前的部分）' : '密码不能包含姓名';
    }
  }
  return null;
}

// No 0/O, 1/l/I: a temporary password is read out or copied by hand.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password that passes `passwordProblem`, for first admins, user:create and resets. */
export function generatePassword(length = 16): string {
  for (;;) {
    const password = Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (passwordProblem(password) === null) return password;
  }
}
