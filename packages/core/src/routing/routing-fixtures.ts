import { createRng } from '../shared/random.js';
import type { LabeledText } from './classifier.js';

/*
 * Synthetic messages for the routing tests: each class has its own topic words, every message
 * mixes two or three of them with filler shared by all classes, numbers and punctuation.
 */
export const TOPICS: Readonly<Record<string, readonly string[]>> = {
  环境保护: ['噪音扰民', '污水直排', '粉尘污染', '臭气熏天', '工厂废气'],
  劳动和社会保障: ['拖欠工资', '社保缴费', '养老保险', '劳动合同', '工伤认定'],
  教育文体: ['学校收费', '老师补课', '招生入学', '学籍转学', '校车安全'],
};

const FILLER = ['尊敬的领导您好', '希望尽快解决', '请有关部门调查', '已经反映多次', '谢谢', '市民'];

/** `perClass` synthetic messages of every topic class, deterministic for the seed. */
export function syntheticMessages(perClass: number, seed = 7): LabeledText[] {
  const rng = createRng(seed);
  const out: LabeledText[] = [];
  for (const [label, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < perClass; i++) {
      const parts = [
        rng.pick(FILLER),
        rng.pick(words),
        `${rng.int(1, 2030)}号`,
        rng.pick(words),
        rng.pick(FILLER),
      ];
      if (rng.chance(0.5)) parts.push(rng.pick(words));
      out.push({ text: parts.join(rng.chance(0.5) ? '，' : '。'), label });
    }
  }
  return out;
}
