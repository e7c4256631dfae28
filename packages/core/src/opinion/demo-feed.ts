/**
 * The demo feed: 4,326 real public message-board posts (2017–2019, anonymised places A市, A1区 …
 * A9市, in data/messages/board-hot.jsonl.gz) mapped to opinion posts of the demo district
 * 历城区, with times shifted to end at a given "now" and default topic watchlists.
 */
import type { OpinionPost } from './post.js';
import type { Watchlist } from './watchlist.js';

/** One row of board-hot.jsonl. */
export interface BoardPost {
  id: number;
  user: string;
  subject: string;
  time: string;
  text: string;
  against: number;
  likes: number;
}

/**
 * The 14 streets of the demo district with the codes `generateDistrict` gives them (numbered in
 * reading order of their cells, independent of the seed).
 */
export const DEMO_STREETS: readonly { code: string; name: string }[] = [
  { code: '370112001', name: '董家街道' },
  { code: '370112002', name: '华山街道' },
  { code: '370112003', name: '全福街道' },
  { code: '370112004', name: '东风街道' },
  { code: '370112005', name: '荷花路街道' },
  { code: '370112006', name: '王舍人街道' },
  { code: '370112007', name: '鲍山街道' },
  { code: '370112008', name: '山大路街道' },
  { code: '370112009', name: '洪家楼街道' },
  { code: '370112010', name: '唐冶街道' },
  { code: '370112011', name: '郭店街道' },
  { code: '370112012', name: '港沟街道' },
  { code: '370112013', name: '仲宫街道' },
  { code: '370112014', name: '柳埠街道' },
];

export const DEMO_DISTRICT_CODE = '370112';

/**
 * The source's anonymised districts and counties to streets: the six urban districts (A1区–A6区)
 * to the urban streets, the counties and the county-level city (A7县, A8县, A9市) to rural ones.
 */
export const DEMO_PLACE_STREETS: Readonly<Record<string, string>> = {
  A1: '370112008', // 山大路街道
  A2: '370112009', // 洪家楼街道
  A3: '370112004', // 东风街道
  A4: '370112003', // 全福街道
  A5: '370112002', // 华山街道
  A6: '370112006', // 王舍人街道
  A7: '370112010', // 唐冶街道
  A8: '370112014', // 柳埠街道
  A9: '370112011', // 郭店街道
};

/** Streets no anonymised place maps to: posts naming no district go there, by author. */
export const DEMO_UNPLACED_STREETS: readonly string[] = DEMO_STREETS.map((s) => s.code).filter(
  (code) => !Object.values(DEMO_PLACE_STREETS).includes(code),
);

const PLACE_RE = /A([1-9])(?:区|县|市)/;
const WEEK_MS = 7 * 86_400_000;

/** FNV-1a, 32 bits: a stable hash for deterministic assignment. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Checks one parsed line of board-hot.jsonl; null when it is not a board post. */
export function readBoardPost(value: unknown): BoardPost | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const count = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!Number.isSafeInteger(v.id) || typeof v.user !== 'string' || typeof v.subject !== 'string') return null;
  if (typeof v.time !== 'string' || typeof v.text !== 'string' || !count(v.against) || !count(v.likes))
    return null;
  return {
    id: v.id as number,
    user: v.user,
    subject: v.subject,
    time: v.time,
    text: v.text,
    against: v.against as number,
    likes: v.likes as number,
  };
}

/** The street of a board post: the first anonymised district in subject, then text; else by author. */
export function demoStreetOf(post: Pick<BoardPost, 'subject' | 'text' | 'user'>): string {
  const m = PLACE_RE.exec(post.subject) ?? PLACE_RE.exec(post.text);
  const placed = m ? DEMO_PLACE_STREETS[`A${m[1]}`] : undefined;
  if (placed) return placed;
  return DEMO_UNPLACED_STREETS[fnv1a(post.user) % DEMO_UNPLACED_STREETS.length] as string;
}

/**
 * The shift that moves the latest post to within the week before `now`: whole weeks, so the
 * weekly and daily rhythm of the feed (quiet weekends, evening peaks) is kept.
 */
export function demoTimeShiftMs(latestMs: number, now: Date): number {
  return Math.floor((now.getTime() - latestMs) / WEEK_MS) * WEEK_MS;
}

/** Maps one board post to an opinion post, its time moved by `shiftMs`. */
export function boardPostToOpinion(row: BoardPost, shiftMs: number): OpinionPost {
  const at = Date.parse(row.time);
  return {
    id: `board-${row.id}`,
    source: 'board',
    url: `https://board.example.invalid/post/${row.id}`,
    authorHandle: row.user,
    title: row.subject.trim() || null,
    text: row.text.trim(),
    postedAt: new Date(at + shiftMs).toISOString(),
    engagement: { likes: row.likes, comments: 0, shares: 0, views: 0, against: row.against },
    unitCode: demoStreetOf(row),
  };
}

/** The whole demo feed, oldest first, ending within the week before `now`. */
export function buildDemoFeed(rows: readonly BoardPost[], now: Date): OpinionPost[] {
  if (rows.length === 0) return [];
  const latest = rows.reduce((m, r) => Math.max(m, Date.parse(r.time)), -Infinity);
  const shift = demoTimeShiftMs(latest, now);
  return rows
    .map((r) => boardPostToOpinion(r, shift))
    .sort((a, b) => (a.postedAt < b.postedAt ? -1 : a.postedAt > b.postedAt ? 1 : a.id < b.id ? -1 : 1));
}

/** A default topic of the demo, with the terms of its watchlist. */
export interface DemoTopic {
  code: string;
  name: string;
  terms: readonly string[];
  excludeTerms?: readonly string[];
}

export const DEMO_TOPICS: readonly DemoTopic[] = [
  {
    code: 'property',
    name: '物业',
    terms: ['物业', '物业费', '业委会', '业主委员会', '维修基金', '公摊', '电梯+故障', '小区+停水'],
    excludeTerms: ['物业税'],
  },
  {
    code: 'noise',
    name: '噪音扰民',
    terms: ['噪音', '噪声', '扰民', '夜间施工', '通宵施工', '广场舞', '鸣笛', '施工+深夜', '吵闹', '音响'],
  },
  {
    code: 'unpaid-wages',
    name: '拖欠工资',
    terms: [
      '拖欠工资',
      '拖欠薪资',
      '欠薪',
      '讨薪',
      '农民工工资',
      '拖欠+工资',
      '克扣工资',
      '工资+未发',
      '工资+不发',
    ],
  },
  {
    code: 'pollution',
    name: '环境污染',
    terms: [
      '污染',
      '排污',
      '偷排',
      '恶臭',
      '臭味',
      '废气',
      '废水',
      '污水',
      '油烟',
      '粉尘',
      '扬尘',
      '焚烧',
      '黑臭',
    ],
    excludeTerms: ['噪音污染', '噪声污染'],
  },
  {
    code: 'traffic',
    name: '交通拥堵',
    terms: ['拥堵', '堵车', '塞车', '交通堵塞', '交通拥挤', '通行缓慢', '红绿灯+时间', '乱停车', '停车难'],
    excludeTerms: ['网络拥堵'],
  },
  {
    code: 'school-fees',
    name: '教育收费',
    terms: ['学费', '补课费', '择校费', '资料费', '学校+收费', '学校+乱收费', '幼儿园+收费', '培训+收费'],
    excludeTerms: ['停车收费', '停车费'],
  },
  {
    code: 'housing-quality',
    name: '房屋质量/烂尾楼',
    terms: [
      '烂尾',
      '延期交房',
      '逾期交房',
      '交房+延期',
      '交房+逾期',
      '房屋质量',
      '墙体开裂',
      '渗水',
      '漏水+房屋',
      '开发商+质量',
    ],
  },
  {
    code: 'food-safety',
    name: '食品安全',
    terms: [
      '食品安全',
      '食物中毒',
      '过期食品',
      '地沟油',
      '变质',
      '三无产品',
      '黑作坊',
      '农药残留',
      '食堂+卫生',
    ],
  },
  {
    code: 'illegal-fundraising',
    name: '非法集资',
    terms: ['非法集资', '集资诈骗', '车贷', 'p2p', '爆雷', '暴雷', '平台+跑路', '理财+诈骗'],
  },
];

/** The demo's watchlists: one per topic (district-wide) and one of place names per street. */
export function demoWatchlists(): Watchlist[] {
  const topics: Watchlist[] = DEMO_TOPICS.map((t) => ({
    id: `topic-${t.code}`,
    topic: t.code,
    unitCode: null,
    terms: t.terms,
    excludeTerms: t.excludeTerms ?? [],
  }));
  const streets: Watchlist[] = DEMO_STREETS.map((s) => ({
    id: `unit-${s.code}`,
    topic: null,
    unitCode: s.code,
    terms: [s.name, s.name.replace(/街道$/, '') + '街办'],
  }));
  return [...topics, ...streets];
}
