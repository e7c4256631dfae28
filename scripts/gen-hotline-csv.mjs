// `node scripts/gen-hotline-csv.mjs N OUT [--gbk] [--seed S]`: writes N realistic 12345 hotline work
// orders as CSV (the header a hotline export uses), streaming, for the import benchmark. Content comes
// from templates, points fall inside Licheng's bounding box, receipt times in 2026 (CST wall clock).
// About 1 % of the rows carry quotes, commas or line breaks inside fields, as real exports do.
// --gbk writes GB18030/GBK like Chinese Excel's "CSV" (no BOM); the default is UTF-8 with a BOM.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const [countArg, out] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--seed'));
const count = Number(countArg);
if (!Number.isInteger(count) || count < 0 || !out) {
  process.stderr.write('usage: node scripts/gen-hotline-csv.mjs N OUT [--gbk] [--seed S]\n');
  process.exit(2);
}
const gbk = flag('--gbk');

// mulberry32: small, fast, deterministic for a given seed
let state = Number(option('--seed', '12345')) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pad = (n, width = 2) => String(n).padStart(width, '0');

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志峰文辉鹏飞燕雪梅晓东海波宁'.split('');
const STREETS = [
  '洪家楼街道',
  '东风街道',
  '全福街道',
  '山大路街道',
  '华山街道',
  '王舍人街道',
  '鲍山街道',
  '郭店街道',
  '唐冶街道',
  '港沟街道',
  '彩石街道',
  '荷花路街道',
  '遥墙街道',
  '临港街道',
  '董家街道',
  '孙村街道',
];
const ROADS = [
  '花园路',
  '山大路',
  '二环东路',
  '工业北路',
  '华龙路',
  '洪家楼南路',
  '祝舜路',
  '世纪大道',
  '飞跃大道',
  '开源路',
  '港源七路',
  '唐冶西路',
  '凤凰路',
  '华信路',
  '七里河路',
  '历山北路',
];
const PLACES = [
  '小区门口',
  '单元楼下',
  '路口东侧',
  '公交站台旁',
  '学校周边',
  '菜市场附近',
  '地下车库',
  '小区绿化带',
  '人行道上',
  '商铺门前',
];
const PROBLEMS = [
  ['路灯不亮', '城乡建设/市政设施/路灯照明'],
  ['井盖破损', '城乡建设/市政设施/井盖'],
  ['道路坑洼积水', '城乡建设/市政设施/道路'],
  ['垃圾堆放未清运', '城乡建设/环境卫生/垃圾清运'],
  ['夜间施工噪音扰民', '环境保护/噪声污染/建筑施工噪声'],
  ['餐饮油烟直排', '环境保护/大气污染/餐饮油烟'],
  ['占道经营', '城乡建设/市容市貌/占道经营'],
  ['私搭乱建', '城乡建设/违法建设/私搭乱建'],
  ['小区供暖不热', '城乡建设/供热/供热质量'],
  ['自来水停水未通知', '城乡建设/供水/停水'],
  ['电动车楼道充电', '政法/消防安全/电动车充电'],
  ['物业不作为', '城乡建设/物业管理/物业服务'],
  ['共享单车乱停放', '交通运输/静态交通/非机动车停放'],
  ['树木倒伏影响通行', '城乡建设/园林绿化/树木管护'],
];
const IMPACTS = [
  '影响居民出行',
  '存在安全隐患',
  '已持续一周',
  '多次反映未解决',
  '老人孩子出行不便',
  '夜间无法休息',
  '气味难闻',
  '车辆无法通过',
];
const REQUESTS = ['尽快处理', '相关部门核实处理', '尽快维修', '加强管理', '给予答复', '上门查看'];
const LIMITS = ['24', '72', '72', '120', '120', '168'];

/** One field as RFC 4180 wants it. */
const field = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function row(i) {
  const [problem, category] = pick(PROBLEMS);
  const place = pick(PLACES);
  const street = pick(STREETS);
  const road = pick(ROADS);
  let content = `${road}${place}${problem}，${pick(IMPACTS)}，请${pick(REQUESTS)}。`;
  const odd = random();
  if (odd < 0.005) content = `来电人称"${problem}"问题,已向物业反映${int(2, 5)}次。`;
  else if (odd < 0.01) content = `${content}\n补充：${pick(IMPACTS)}。`;
  const month = int(1, 12);
  const day = int(1, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]);
  const [h, m, s] = [int(0, 23), int(0, 59), int(0, 59)];
  const received =
    random() < 0.9
      ? `2026-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)}`
      : `2026/${month}/${day} ${h}:${pad(m)}`;
  const hasPoint = random() < 0.97;
  const phone =
    random() < 0.9
      ? `1${pick(['3', '5', '7', '8', '9'])}${int(0, 9)}${pad(int(0, 99_999_999), 8)}`
      : random() < 0.5
        ? `0531-8${pad(int(0, 9_999_999), 7)}`
        : '';
  const urgency = random();
  return [
    `JN2026${pad(i + 1, 9)}`,
    pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : ''),
    phone,
    content,
    `济南市历城区${street}${road}${int(1, 999)}号${random() < 0.5 ? `${int(1, 30)}号楼${int(1, 6)}单元` : ''}`,
    hasPoint ? (117.0 + random() * 0.35).toFixed(6) : '',
    hasPoint ? (36.6 + random() * 0.25).toFixed(6) : '',
    category,
    received,
    pick(LIMITS),
    urgency < 0.85 ? '一般' : urgency < 0.97 ? '紧急' : '特急',
    random() < 0.05 ? '是' : '否',
  ]
    .map(field)
    .join(',');
}

/** A GBK encoder built by decoding every two-byte code (Node decodes GBK but cannot encode it). */
function gbkEncoder() {
  const decoder = new TextDecoder('gb18030');
  const table = new Map();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch.charCodeAt(0)))
        table.set(ch.charCodeAt(0), (lead << 8) | trail);
    }
  }
  return (text) => {
    const buf = Buffer.allocUnsafe(text.length * 2);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) buf[n++] = c;
      else {
        const code = table.get(c);
        if (code === undefined) throw new Error(`no GBK code for ${text[i]}`);
        buf[n++] = code >> 8;
        buf[n++] = code & 0xff;
      }
    }
    return buf.subarray(0, n);
  };
}

const encode = gbk ? gbkEncoder() : (text) => Buffer.from(text, 'utf8');
const header =
  '工单编号,来电人,来电号码,诉求内容,事发地址,经度,纬度,问题分类,受理时间,办理时限(小时),紧急程度,是否督办';
const stream = createWriteStream(out);
const t0 = performance.now();
let pending = (gbk ? '' : '\uFEFF') + header + '\r\n';
for (let i = 0; i < count; i++) {
  pending += row(i) + '\r\n';
  if (pending.length >= 1 << 20) {
    if (!stream.write(encode(pending))) await once(stream, 'drain');
    pending = '';
  }
}
stream.end(encode(pending));
await once(stream, 'finish');
process.stderr.write(
  `${count} rows → ${out} (${gbk ? 'GBK' : 'UTF-8'}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
