import type { DedicatedGridKind } from '../governance/unit.js';
import type { Rng } from '../shared/random.js';

/** Community names (without 社区) known to the urban streets, used first and in this order. */
const URBAN_POOLS: Record<string, string[]> = {
  洪家楼街道: '洪楼 七里河 花园 东泉 洪家楼北 南辛庄 二环东 文化东'.split(' '),
  山大路街道: '山大 窑头 燕翔 历山东 科院 山大南 和平东'.split(' '),
  东风街道: '东风 祝甸 洪山 祥泰 华龙 工人新村北 水屯'.split(' '),
  全福街道: '全福 华信 盛福 北园东 辛甸 全福立交 花园庄'.split(' '),
  华山街道: '华山 卧牛山 坝子 大辛 小辛 华山湖 王家庄 将军'.split(' '),
};

/** Village names (without 村) of the southern mountains and the eastern plain. */
const MOUNTAIN_VILLAGES =
  '西营 高而 石匣 门牙 北道沟 锦绣川 枣林 卧龙峪 藕池 龙湾 大南营 渐汪 殷家林 邢村 九曲 泉泸'.split(' ');
const PLAIN_VILLAGES = '鸭旺口 梁王 张马屯 宋刘 冶河 神武 相公庄 东坞 坝子 辛庄 孙村 贤文 朱家庄 芦南'.split(
  ' ',
);

const URBAN_FIRST = [
  ...'华祥和康福安泰兴盛丰宁乐锦景瑞翠荷柳泉新文明德仁嘉恒裕鑫鸿怡雅馨春金玉桂兰松竹清丽阳云凤龙',
];
const URBAN_SECOND = [...'苑园庭城府居源泉湖林山湾里坊河馨华盛'];
const SURNAMES = [...'王李张刘陈杨赵孙徐马高于董郭周吴胡朱宋韩曹魏郑谢田崔姜任范贾房孟侯邢吕石薛尹段许程袁'];
const PLAIN_SUFFIX = '家庄 庄 家 家屯 家店 家寨 官庄 家楼 家洼 家桥'.split(' ');
const MOUNTAIN_SUFFIX = '家峪 家岭 家沟 家庄 峪 家坡 家泉 家台'.split(' ');
const PREFIX = [...'东西南北前后上下大小中石高青黄白柳枣杏桃梨龙凤马卧岔双三五七九'];
const TERRAIN_PLAIN = '营 店 庄 屯 洼 寨 湾 河 桥 集'.split(' ');
const TERRAIN_MOUNTAIN = '峪 泉 岭 沟 坡 崖 窝 台 涧 林 峪口 山'.split(' ');

/** Where a community lies: decides 社区 or 村 and the flavour of village names. */
export type Setting = 'urban' | 'plain' | 'mountain';

/** Creates a namer of communities that never repeats a name within the district. */
export function createCommunityNamer(rng: Rng): (streetName: string, setting: Setting) => string {
  const used = new Set<string>();
  const taken = (base: string, suffix: string): string | null => {
    const name = base + suffix;
    if (used.has(name) || used.has(base + (suffix === '社区' ? '村' : '社区'))) return null;
    used.add(name);
    return name;
  };
  const pools = new Map(Object.entries(URBAN_POOLS).map(([k, v]) => [k, [...v]]));
  const villages = { plain: [...PLAIN_VILLAGES], mountain: [...MOUNTAIN_VILLAGES] };
  return (streetName, setting) => {
    if (setting === 'urban') {
      const pool = pools.get(streetName) ?? [];
      while (pool.length > 0) {
        const name = taken(pool.shift() as string, '社区');
        if (name) return name;
      }
      for (;;) {
        const name = taken(rng.pick(URBAN_FIRST) + rng.pick(URBAN_SECOND), '社区');
        if (name) return name;
      }
    }
    const known = villages[setting];
    if (known.length > 0 && rng.chance(0.25)) {
      const name = taken(known.splice(rng.int(0, known.length - 1), 1)[0] as string, '村');
      if (name) return name;
    }
    for (;;) {
      const base = rng.chance(0.55)
        ? rng.pick(SURNAMES) + rng.pick(setting === 'mountain' ? MOUNTAIN_SUFFIX : PLAIN_SUFFIX)
        : rng.pick(PREFIX) + rng.pick(setting === 'mountain' ? TERRAIN_MOUNTAIN : TERRAIN_PLAIN);
      const name = taken(base, '村');
      if (name) return name;
    }
  };
}

/** The place word of a community or street name: '洪楼社区' → '洪楼', '洪家楼街道' → '洪家楼'. */
export function placeWord(name: string): string {
  return name.replace(/(社区|街道|村)$/, '');
}

const BRAND = [...'华鲁泰恒瑞鑫德宏远通力源达信盛元金宇天正科新中海联'];
const INDUSTRY = '机械 化工 建材 食品 物流 电子 科技 钢构 包装 纺织 医药 汽车配件 新材料 环保科技 印务'.split(
  ' ',
);
const PARK = '高新技术 智能制造 新材料 现代物流 电子信息 生物医药 装备制造 现代农业 文化创意'.split(' ');
const PROJECT = '安置房 综合体 商住 学校 道路改造 棚户区改造 保障房 商业中心 地铁站'.split(' ');
const COMPLEX = '小区 花园 家园 苑 名邸 华府 雅居 新城 嘉园'.split(' ');
const OTHER = '公园 文化广场 养老服务中心 公交场站 加油站 体育公园 便民服务中心 图书馆'.split(' ');
const CN_DIGITS = [...'一二三四五六七八九十'];

/** Context of a dedicated grid's name: the community and street it lies in. */
export interface PlaceContext {
  community: string;
  street: string;
  setting: Setting;
}

/** Creates a namer of dedicated grids that never repeats a name within the district. */
export function createDedicatedNamer(rng: Rng): (kind: DedicatedGridKind, at: PlaceContext) => string {
  const used = new Set<string>();
  let schoolNo = 0;
  const candidate = (kind: DedicatedGridKind, at: PlaceContext): string => {
    const place = rng.chance(0.75) ? placeWord(at.community) : placeWord(at.street);
    const brand = rng.pick(BRAND) + rng.pick(BRAND);
    switch (kind) {
      case 'school': {
        if (at.setting === 'urban' && schoolNo < 10 && rng.chance(0.3)) {
          return `历城第${CN_DIGITS[schoolNo++] as string}实验小学`;
        }
        return place + rng.pick(['小学', '中学', '幼儿园', '实验学校', '中心小学']);
      }
      case 'hospital':
        return at.setting === 'urban'
          ? place + rng.pick(['社区卫生服务中心', '医院', '中医门诊部', '口腔医院'])
          : place + rng.pick(['卫生院', '卫生室', '中心卫生院']);
      case 'market':
        return place + rng.pick(['农贸市场', '菜市场', at.setting === 'urban' ? '综合市场' : '集贸市场']);
      case 'enterprise':
        return `${rng.pick(['山东', '济南'])}${brand}${rng.pick(INDUSTRY)}有限公司`;
      case 'industrialPark':
        return place + rng.pick(PARK) + rng.pick(['产业园', '工业园']);
      case 'constructionSite':
        return `${place}${rng.pick(PROJECT)}项目建筑工地`;
      case 'residentialComplex':
        return rng.chance(0.4) ? `${place}${rng.pick(COMPLEX)}` : `${brand}${rng.pick(COMPLEX)}`;
      case 'other':
        return place + rng.pick(OTHER);
    }
  };
  return (kind, at) => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = candidate(kind, at);
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
    const base = candidate(kind, at);
    for (let n = 2; ; n++) {
      const name = `${base}（${n}）`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}
