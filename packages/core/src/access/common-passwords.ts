/**
 * The most common passwords (global and Chinese leak lists), compared case-insensitively. Short
 * ones are kept too: the policy reports them as common as well as short.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `123456 1234567 12345678 123456789 1234567890 0123456789 12345678910 111111 11111111 1111111111
  000000 00000000 0000000000 666666 66666666 888888 88888888 8888888888 999999 123123 123123123
  123321 654321 987654321 147258369 123654789 112233 5201314 520520 1314520 7758521 password
  password1 password123 passw0rd p@ssw0rd p@ssword qwerty qwerty123 qwerty123456 qwertyuiop qwe123
  123qwe qweasd qweasdzxc qazwsx 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t zxcvbnm asdfghjkl abc123
  abc12345 abc123456 abcd1234 abc@123 a123456 a12345678 a123456789 a1234567890 aa123456 aa12345678
  aaaaaa admin admin123 admin888 admin@123 administrator root root123 test123 iloveyou iloveyou1
  woaini woaini1314 woaini520 qq123456 welcome welcome1 letmein monkey dragon sunshine princess
  football baseball superman trustno1 shadow master hello123`.split(/\s+/),
);

/**
 * Words that stay weak when dressed up with capitals, digits and symbols ('Password@2026',
 * 'Admin@123'); checked against the letters left after stripping such decorations.
 */
export const COMMON_BASE_WORDS: ReadonlySet<string> = new Set(
  `password passwd pass admin administrator root test user guest qwerty qwer qwe asdf asd zxcv qaz
  qazwsx abc abcd abcdef iloveyou woaini welcome letmein hello login monkey dragon master sunshine
  superman china civicgrid`.split(/\s+/),
);
