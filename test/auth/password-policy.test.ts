import { describe, expect, it } from '@jest/globals';
import {
  commonPasswords,
  generatePassword,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
} from '../../src/auth/password-policy.js';

const COMMON = '密码过于常见，容易被猜中，请换一个';
const REPEATED = '密码不能主要由重复的字符组成（如 aaaaaa、ababab）';
const SEQUENCE = '密码不能是键盘或字母、数字顺序（如 qwerty、abcdef、123456）';
const EMAIL = '密码不能包含邮箱名（@ 之前的部分）';
const NAME = '密码不能包含姓名';

describe('password strength', () => {
  it('ships the 10,000 most common passwords and reads them once', () => {
    const list = commonPasswords();
    expect(list.size).toBe(10_000);
    expect(list.has('123456')).toBe(true);
    expect(list.has('password')).toBe(true);
    expect(list.has('qwertyuiop')).toBe(true);
    expect([...list].some((p) => p.startsWith('#'))).toBe(false);
    expect(commonPasswords()).toBe(list);
  });

  it('accepts long, unremarkable passwords', () => {
    for (const ok of [
      'correct-horse-battery',
      'first-admin-password',
      'Lantern river 1987!',
      '春眠不觉晓处处闻啼鸟',
      'x7#kQ9!vL2@pR4',
    ]) {
      expect({
        ok,
        problem: passwordProblem(ok, { email: 'zhou@example.org', name: '周' }),
      }).toEqual({ ok, problem: null });
    }
  });

  it(`asks for at least ${MIN_PASSWORD_LENGTH} characters, counting characters not bytes`, () => {
    expect(passwordProblem('short-pw1')).toBe('密码至少 10 位');
    expect(passwordProblem('')).toBe('密码至少 10 位');
    // Nine Chinese characters are 27 bytes but nine characters.
    expect(passwordProblem('春眠不觉晓处处闻啼')).toBe('密码至少 10 位');
  });

  it('refuses common passwords, also with digits or symbols around them or digits for letters', () => {
    for (const weak of [
      'qwertyuiop',
      '1234567890',
      'Password123',
      'password2024!',
      '2024password',
      'baseball1234',
      'P@ssw0rd1234',
      'iloveyou2023',
    ]) {
      expect({ weak, problem: passwordProblem(weak) }).toEqual({ weak, problem: COMMON });
    }
  });

  it('refuses passwords made mostly of one repeated character or a few repeated ones', () => {
    for (const weak of ['aaaaaaaaaa', 'aaaaaaaaab', 'zzzzz12345', 'abababababab', '1212121212']) {
      expect({ weak, problem: passwordProblem(weak) }).toEqual({ weak, problem: REPEATED });
    }
  });

  it('refuses keyboard, alphabet and number runs', () => {
    for (const weak of [
      'abcdefghijk',
      'zyxwvutsrqp',
      '0987654321x',
      'asdfghjkl;x',
      'qwertyasdfgh',
      '3edc4rfv5tgb',
      'abc12345xyz',
      'lkjhgfdsa987',
    ]) {
      expect({ weak, problem: passwordProblem(weak) }).toEqual({ weak, problem: SEQUENCE });
    }
  });

  it('refuses a password containing the e-mail name or the user’s name', () => {
    const owner = { email: 'Zhang.San@example.org', name: '张三' };
    expect(passwordProblem('my-zhang.san-pass', owner)).toBe(EMAIL);
    expect(passwordProblem('ZhangSan-forever', owner)).toBe(EMAIL);
    expect(passwordProblem('zhang-is-my-family', owner)).toBe(EMAIL);
    expect(passwordProblem('我是张三的好朋友呀', { ...owner, email: null })).toBe('密码至少 10 位');
    expect(passwordProblem('我是张三的好朋友呀哈哈', owner)).toBe(NAME);
    expect(
      passwordProblem('Wang Lei wrote this', { email: 'wl@example.org', name: 'Wang Lei' }),
    ).toBe(NAME);
    // Short names and local parts are not searched for: "li" is in too many words.
    expect(passwordProblem('reliable-pigeon-post', { email: 'li@example.org', name: 'Li' })).toBe(
      null,
    );
  });

  it('makes up random passwords that pass its own rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
      expect(passwordProblem(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
