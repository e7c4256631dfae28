import { COMMON_BASE_WORDS, COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** Of lower case, upper case, digits and other characters, at least this many must occur. */
export const PASSWORD_MIN_CLASSES = 3;

export type PasswordProblem =
  'tooShort' | 'tooLong' | 'tooFewCharacterClasses' | 'containsUsername' | 'tooCommon';

/** English text for each problem (user interfaces may translate by code). */
export const PASSWORD_PROBLEM_MESSAGES: Readonly<Record<PasswordProblem, string>> = {
  tooShort: `must have at least ${PASSWORD_MIN_LENGTH} characters`,
  tooLong: `may have at most ${PASSWORD_MAX_LENGTH} characters`,
  tooFewCharacterClasses: `must mix at least ${PASSWORD_MIN_CLASSES} of: lower case, upper case, digits, symbols`,
  containsUsername: 'may not contain the user name',
  tooCommon: 'is too common',
};

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '3': 'e', $: 's', '5': 's', '7': 't' };

/** How many of the four character classes (lower, upper, digit, other) a password uses. */
export function characterClassCount(password: string): number {
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];
  return classes.filter((re) => re.test(password)).length;
}

/** True when a password is, or is a decorated form of, one of the most common passwords. */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return true;
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const plain = Array.from(core, (c) => LEET[c] ?? c).join('');
  return [plain, plain.replaceAll('1', 'i'), plain.replaceAll('1', 'l')].some((w) =>
    COMMON_BASE_WORDS.has(w),
  );
}

/** Every problem code for a password (empty when acceptable); stable for programs and tests. */
export function passwordProblemCodes(
  password: string,
  context: { username?: string | null } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('tooShort');
  if (length > PASSWORD_MAX_LENGTH) problems.push('tooLong');
  if (characterClassCount(password) < PASSWORD_MIN_CLASSES) problems.push('tooFewCharacterClasses');
  const username = context.username?.trim().toLowerCase() ?? '';
  if (username.length >= 3 && password.toLowerCase().includes(username)) problems.push('containsUsername');
  if (isCommonPassword(password)) problems.push('tooCommon');
  return problems;
}

/** Every reason (English text) a password is unacceptable for the account; empty when it may be used. */
export function passwordProblems(password: string, context: { username?: string | null } = {}): string[] {
  return passwordProblemCodes(password, context).map((code) => PASSWORD_PROBLEM_MESSAGES[code]);
}
