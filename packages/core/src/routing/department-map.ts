/*
 * Which of the 17 district departments (governance/departments.ts) leads a category. Keys are
 * category paths; the most specific key wins (level 3, then level 2, then level 1). The table
 * follows the usual division of duties of a Chinese district government after the 2018
 * institutional reform, restricted to the 17 departments stationed at the centre:
 *
 * - Each first-level class goes to the department whose name it carries: 城乡建设 → 住建 (D04),
 *   环境保护 → 生态环境 (D11), 交通运输 → 交通运输 (D13), 教育文体 → 教育和体育 (D09; culture
 *   and heritage have no bureau of their own at the centre, and the catalogue itself groups them
 *   with education), 劳动和社会保障 → 人社 (D06), 卫生计生 → 卫健 (D08), 民政 → D07,
 *   农村农业 → D15, 国土资源 → 自然资源和规划 (D16), 政法 → 政法委 (D17).
 * - 商贸旅游 → 市场监管 (D10): since 2018 it absorbed industry & commerce, quality supervision
 *   (质监检验检疫, special equipment such as lifts) and prices; no commerce or tourism bureau is
 *   stationed at the centre, and complaints about tourism are consumer-rights cases.
 * - Overrides where the reform moved a duty: food and drugs (卫生计生/食品药品监管) → D10;
 *   production safety (安全生产, wherever it appears) → 应急管理 (D12); planning and illegal
 *   buildings (城乡规划) → D16, except 违章建筑 → 综合行政执法 (D05, who demolishes them);
 *   city management (城管执法, 环境卫生, 园林绿化) → D05; water supply → 水务 (D14); buses and
 *   metro (filed under 城乡建设) → D13; collective land (集体土地上房屋拆迁) → D16; traffic
 *   control and public order (政法/交通管理, 社会治安, 刑案侦破, 户籍证件) → 公安 (D01); legal
 *   services, mediation and sentences (政法/法律服务, 仲裁与调解, 刑罚执行) → 司法 (D02).
 * - Classes without a department at the centre (党务政务, 纪检监察, 科技与信息产业, 经济管理)
 *   → 信访局 (D03), which registers and forwards what no stationed department owns.
 */
export const DEPARTMENT_BY_CATEGORY: Readonly<Record<string, string>> = {
  城乡建设: 'D04',
  '城乡建设/安全生产': 'D12',
  '城乡建设/城市建设和市政管理': 'D05',
  '城乡建设/城市建设和市政管理/居民服务设施': 'D04',
  '城乡建设/城市建设和市政管理/小区管理': 'D04',
  '城乡建设/城市建设和市政管理/冬季采暖': 'D04',
  '城乡建设/城市建设和市政管理/燃气供应': 'D04',
  '城乡建设/城市建设和市政管理/电力供应': 'D04',
  '城乡建设/城市建设和市政管理/自来水供应': 'D14',
  '城乡建设/城市建设和市政管理/公共汽车': 'D13',
  '城乡建设/城市建设和市政管理/地铁城铁': 'D13',
  '城乡建设/城乡规划': 'D16',
  '城乡建设/城乡规划/违章建筑': 'D05',
  '城乡建设/集体土地上房屋拆迁与补偿': 'D16',
  环境保护: 'D11',
  交通运输: 'D13',
  教育文体: 'D09',
  劳动和社会保障: 'D06',
  卫生计生: 'D08',
  '卫生计生/食品药品监管': 'D10',
  商贸旅游: 'D10',
  民政: 'D07',
  农村农业: 'D15',
  '农村农业/水利水电': 'D14',
  国土资源: 'D16',
  政法: 'D17',
  '政法/交通管理': 'D01',
  '政法/社会治安': 'D01',
  '政法/刑案侦破': 'D01',
  '政法/户籍证件': 'D01',
  '政法/警务督察': 'D01',
  '政法/法律服务': 'D02',
  '政法/仲裁与调解': 'D02',
  '政法/刑罚执行': 'D02',
  '政法/行政复议': 'D02',
  '经济管理/安全生产': 'D12',
  党务政务: 'D03',
  纪检监察: 'D03',
  科技与信息产业: 'D03',
  经济管理: 'D03',
};

/** The lead department for a category (most specific entry of the table), or null for an unknown first level. */
export function departmentFor(
  level1: string,
  level2: string | null = null,
  level3: string | null = null,
  table: Readonly<Record<string, string>> = DEPARTMENT_BY_CATEGORY,
): string | null {
  const keys = [level1];
  if (level2 !== null) keys.unshift(`${level1}/${level2}`);
  if (level2 !== null && level3 !== null) keys.unshift(`${level1}/${level2}/${level3}`);
  for (const k of keys) if (Object.hasOwn(table, k)) return table[k]!;
  return null;
}
