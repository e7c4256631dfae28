import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PASSWORD_PROBLEM_MESSAGES,
  characterClassCount,
  isCommonPassword,
  passwordProblemCodes,
  passwordProblems,
} from './password-policy.js';

describe('passwordProblemCodes', () => {
  it('accepts the demo password', () => {
    expect(passwordProblemCodes('Licheng@2026')).toEqual([]);
    expect(passwordProblemCodes('Licheng@2026', { username: 'admin' })).toEqual([]);
    expect(passwordProblems('Licheng@2026', { username: 'gridworker01' })).toEqual([]);
  });

  it('accepts strong passwords', () => {
    for (const p of ['correct-Horse-battery', 'Tz9#qLm4vW', '网格Grid2026管理', 'abcdefgh12!@']) {
      expect(passwordProblemCodes(p), p).toEqual([]);
    }
  });

  it('requires at least 10 characters (counted as code points)', () => {
    expect(passwordProblemCodes('Ab1!ab1!a')).toEqual(['tooShort']);
    expect(passwordProblemCodes('Ab1!ab1!ab')).toEqual([]);
    expect(passwordProblemCodes('Ab1😀😀😀😀😀😀😀')).toEqual([]); // 10 code points, 17 UTF-16 units
    expect(passwordProblemCodes('Ab1😀😀😀😀😀😀')).toEqual(['tooShort']); // 9 code points, 15 units
  });

  it('allows at most 128 characters', () => {
    const base = 'Ab1!';
    expect(passwordProblemCodes(base.repeat(32))).toEqual([]);
    expect(passwordProblemCodes(`${base.repeat(32)}x`)).toEqual(['tooLong']);
  });

  it('requires 3 of the 4 character classes', () => {
    expect(passwordProblemCodes('abcdefghijk')).toEqual(['tooFewCharacterClasses']);
    expect(passwordProblemCodes('abcdefghij12')).toEqual(['tooFewCharacterClasses']);
    expect(passwordProblemCodes('abcdefghiJ12')).toEqual([]);
    expect(passwordProblemCodes('abcdefghi#12')).toEqual([]);
    expect(passwordProblemCodes('ABCDEFGHI#12')).toEqual([]);
  });

  it('refuses passwords containing the username, case-insensitively', () => {
    expect(passwordProblemCodes('xWangLi2026!', { username: 'wangli' })).toEqual(['containsUsername']);
    expect(passwordProblemCodes('xWangLi2026!', { username: ' WANGLI ' })).toEqual(['containsUsername']);
    expect(passwordProblemCodes('xWangLi2026!', { username: 'zhaoliu' })).toEqual([]);
  });

  it('ignores usernames too short to matter', () => {
    expect(passwordProblemCodes('Licheng@2026', { username: 'li' })).toEqual([]);
    expect(passwordProblemCodes('Licheng@2026', { username: null })).toEqual([]);
    expect(passwordProblemCodes('Licheng@2026', { username: '' })).toEqual([]);
  });

  it.each([
    '12345678',
    'password',
    'qwerty',
    'qwertyuiop',
    'admin123',
    'a123456',
    '88888888',
    '11111111',
    'iloveyou',
  ])('refuses the common password %s', (p) => {
    expect(passwordProblemCodes(p)).toContain('tooCommon');
    expect(passwordProblemCodes(p.toUpperCase())).toContain('tooCommon');
  });

  it('refuses long common passwords that pass every other rule', () => {
    expect(passwordProblemCodes('1qaz2wsx3edc')).toContain('tooCommon');
    expect(passwordProblemCodes('Password@2026')).toEqual(['tooCommon']);
    expect(passwordProblemCodes('P@ssw0rd!2024')).toEqual(['tooCommon']);
    expect(passwordProblemCodes('Admin@123456')).toEqual(['tooCommon']);
    expect(passwordProblemCodes('Abc@1234567')).toEqual(['tooCommon']);
    expect(passwordProblemCodes('2026#Qwerty!')).toEqual(['tooCommon']);
    expect(passwordProblemCodes('Adm1n#20262026')).toEqual(['tooCommon']);
  });

  it('reports every problem at once', () => {
    expect(passwordProblemCodes('admin', { username: 'admin' })).toEqual([
      'tooShort',
      'tooFewCharacterClasses',
      'containsUsername',
      'tooCommon',
    ]);
  });

  it('reports only problems from the fixed set, and none for long random mixed passwords (property)', () => {
    const known = new Set(Object.keys(PASSWORD_PROBLEM_MESSAGES));
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (p) => {
        for (const code of passwordProblemCodes(p)) expect(known.has(code)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{4}[A-Z]{4}[0-9]{4}[#%&]{2}$/), (p) => {
        expect(passwordProblemCodes(p)).toEqual([]);
      }),
    );
  });
});

describe('passwordProblems', () => {
  it('returns English reasons for each problem', () => {
    expect(passwordProblems('abc')).toEqual([
      PASSWORD_PROBLEM_MESSAGES.tooShort,
      PASSWORD_PROBLEM_MESSAGES.tooFewCharacterClasses,
      PASSWORD_PROBLEM_MESSAGES.tooCommon,
    ]);
    expect(PASSWORD_PROBLEM_MESSAGES.tooShort).toMatch(/10/);
  });
});

describe('characterClassCount', () => {
  it('counts lower, upper, digit and other', () => {
    expect(characterClassCount('')).toBe(0);
    expect(characterClassCount('abc')).toBe(1);
    expect(characterClassCount('aB')).toBe(2);
    expect(characterClassCount('aB3')).toBe(3);
    expect(characterClassCount('aB3 ')).toBe(4);
    expect(characterClassCount('网格')).toBe(1);
  });
});

describe('isCommonPassword', () => {
  it('sees through capitals, leetspeak and digit or symbol decorations', () => {
    expect(isCommonPassword('PASSWORD')).toBe(true);
    expect(isCommonPassword('!!Welcome2026')).toBe(true);
    expect(isCommonPassword('Civicgrid@2026')).toBe(true);
    expect(isCommonPassword('L3tm3in#99')).toBe(true);
  });

  it('does not flag ordinary words that merely contain a common one', () => {
    expect(isCommonPassword('Licheng@2026')).toBe(false);
    expect(isCommonPassword('Passport@2026')).toBe(false);
    expect(isCommonPassword('Tadministration1!')).toBe(false);
  });
});
