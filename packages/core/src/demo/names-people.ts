import type { Rng } from '../shared/random.js';

/** Common surnames, most frequent first (Shandong-flavoured); earlier ones are picked more often. */
const SURNAMES = [
  ...'王李张刘陈杨赵孙徐马高于董郭周吴胡朱宋韩曹魏郑谢田崔姜任范贾房孟侯邢吕石薛尹段许程袁苏卢蒋丁黄林何罗梁',
];

const GIVEN_SINGLE = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华文斌宁鹏辉浩婷雪倩晨宇欣佳凯琳梅兰玲蕾波峰亮龙晶颖慧鑫帅燕',
];
const GIVEN_FIRST = [...'建志海晓丽玉国红永春秀金立德文宏振俊子思雨欣佳嘉博浩梓家新庆学福凤桂明书'];
const GIVEN_SECOND = [...'华强军燕东娟兰庆梅平英辉明涛杰宇涵萱轩然琪泽航宁怡瑶晨阳凯峰芳敏霞亮伟静'];

/** Mobile number prefixes of the three Chinese carriers. */
const MOBILE_PREFIXES =
  '130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 177 178 180 181 182 183 185 186 187 188 189 198 199'.split(
    ' ',
  );

/** Picks an index skewed towards the front of a list of `n` items. */
function skewedIndex(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(n * rng.next() ** 1.8));
}

/** A plausible Chinese full name (surname + one or two given-name characters). */
export function personName(rng: Rng): string {
  const surname = SURNAMES[skewedIndex(rng, SURNAMES.length)] as string;
  if (rng.chance(0.35)) return surname + rng.pick(GIVEN_SINGLE);
  let first = rng.pick(GIVEN_FIRST);
  let second = rng.pick(GIVEN_SECOND);
  if (first === second) second = rng.pick(GIVEN_SINGLE);
  if (first === surname) first = rng.pick(GIVEN_FIRST);
  return surname + first + second;
}

/** Creates a source of unique plausible mobile numbers ('1' + 10 digits). */
export function createPhoneBook(rng: Rng): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      let phone = rng.pick(MOBILE_PREFIXES);
      for (let i = 0; i < 8; i++) phone += String(rng.int(0, 9));
      if (!used.has(phone)) {
        used.add(phone);
        return phone;
      }
    }
  };
}
