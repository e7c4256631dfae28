/**
 * The negative-sentiment lexicon for Chinese citizen posts (投诉/留言). Hand-written from reading
 * the public message-board feed: complaint verbs, anger, official inaction (不作为, 推诿),
 * harm and urgency, the usual nuisances (噪音, 臭, 拖欠) and the few words of thanks.
 *
 * `w` is the negative weight of a hit: > 0 pushes towards negative, < 0 towards positive.
 * `negated` is the weight when a negator (不/没/未/无/别) stands just before the term; by default
 * a negated negative word counts 0 ("不严重") and a negated positive word counts |w| as negative
 * ("不满意"). Neutral request words (解决, 回复, 处理) have w = 0 and only count when negated
 * ("一直没有解决", "未回复").
 */
export interface LexiconEntry {
  term: string;
  w: number;
  negated?: number;
}

const neg = (w: number, ...terms: string[]): LexiconEntry[] => terms.map((term) => ({ term, w }));
const pos = (w: number, ...terms: string[]): LexiconEntry[] => terms.map((term) => ({ term, w: -w }));
const whenNegated = (negated: number, ...terms: string[]): LexiconEntry[] =>
  terms.map((term) => ({ term, w: 0, negated }));

export const SENTIMENT_LEXICON: readonly LexiconEntry[] = [
  // complaint and petition verbs
  ...neg(2, '投诉', '举报', '控告', '上访', '曝光'),
  ...neg(1, '信访', '维权', '质问', '质疑'),
  ...neg(0.5, '反映', '问题'),
  // anger and strong demands
  ...neg(2.5, '强烈要求', '强烈呼吁', '跪求', '求求'),
  ...neg(1, '恳请', '恳求'),
  ...neg(3, '强烈谴责', '愤怒', '气愤', '愤慨', '忍无可忍', '无法忍受', '忍受不了', '太过分'),
  ...neg(2.5, '受不了', '恶劣', '嚣张', '霸道', '蛮横', '欺负', '欺压', '欺骗', '欺诈', '诈骗', '坑害'),
  ...neg(2.5, '黑心', '无良', '霸王条款', '强行', '强制', '威胁', '恐吓', '打人', '殴打'),
  ...neg(3, '无法无天'),
  ...neg(2, '顶风作案', '明目张胆'),
  ...neg(2, '过分', '离谱', '荒唐', '不合理', '不公平', '不公', '不满', '不安全', '不合法'),
  // official inaction
  ...neg(3, '不作为', '乱作为', '投诉无门', '石沉大海', '置之不理', '不管不顾', '互相推诿'),
  ...neg(2.5, '无人管', '没人管', '无人理', '没人理', '无人问津', '推诿', '敷衍', '踢皮球', '拖延'),
  ...neg(3, '失望', '绝望', '寒心', '心寒', '苦不堪言', '走投无路'),
  ...neg(2, '无奈', '痛苦', '困扰', '焦虑', '煎熬', '投诉多次', '多次反映', '多次投诉', '至今未'),
  ...neg(1, '担忧', '担心', '害怕', '揪心'),
  // harm and urgency
  ...neg(3, '人命关天', '死亡', '身亡', '坍塌', '倒塌', '爆炸'),
  ...neg(2, '危险', '安全隐患', '紧急', '刻不容缓', '受伤', '事故', '火灾', '中毒', '生命安全'),
  ...neg(1.5, '严重', '隐患', '急需', '迫切', '后果'),
  ...neg(0.5, '尽快'),
  // nuisances and wrongs typical of 12345 / message boards
  ...neg(2, '扰民', '违法', '非法', '违章', '拖欠', '克扣', '讨薪', '乱收费', '断水', '断电'),
  ...neg(2.5, '欠薪', '恶臭', '烂尾', '无法入睡', '睡不着', '夜不能寐', '集资诈骗'),
  ...neg(1.5, '噪音', '噪声', '污染', '违规', '违建', '私搭乱建', '乱象', '停水', '停电', '漏水'),
  ...neg(1.5, '裂缝', '通宵', '深夜', '半夜', '刺鼻', '臭味', '油烟', '粉尘', '扬尘', '堵塞', '拥堵'),
  ...neg(2, '脏乱差'),
  ...neg(1, '臭', '脏', '乱', '吵', '垃圾', '积水', '黑车', '乱停'),
  // thanks and praise
  ...pos(2, '感谢', '满意', '点赞', '表扬', '称赞', '好评', '辛苦了', '为民办实事'),
  ...pos(1, '谢谢', '及时', '热心', '耐心', '认真', '负责任', '高效', '方便'),
  // neutral requests that become negative when negated
  ...whenNegated(1.5, '解决', '处理', '回复', '答复', '落实', '整改', '到位', '理睬', '重视', '兑现'),
  ...whenNegated(1, '回应', '处罚', '查处'),
];

/** Negators: a term preceded by one of these (within a few characters) is negated. */
export const NEGATORS: readonly string[] = ['不', '没', '未', '无', '别', '莫', '甭'];

/** Words containing a negator character that do not negate (不仅, 无论 …). */
export const NOT_NEGATING: readonly string[] = [
  '不仅',
  '不但',
  '不断',
  '不少',
  '不停',
  '不得不',
  '不光',
  '不论',
  '无论',
  '无数',
  '没想到',
  '不知',
  '未来',
];

/** Intensifiers and their factor on the next hit (非常严重 counts 1.5 × 严重). */
export const INTENSIFIERS: readonly { term: string; factor: number }[] = [
  { term: '非常', factor: 1.5 },
  { term: '极其', factor: 1.8 },
  { term: '极为', factor: 1.8 },
  { term: '特别', factor: 1.5 },
  { term: '十分', factor: 1.5 },
  { term: '相当', factor: 1.3 },
  { term: '实在', factor: 1.3 },
  { term: '简直', factor: 1.5 },
  { term: '严重', factor: 1.5 },
  { term: '太', factor: 1.5 },
  { term: '很', factor: 1.2 },
  { term: '超级', factor: 1.5 },
];
