/**
 * The 17 departments stationed at the district governance center (区社会治理中心), each with a
 * stable code. Department codes are `D` + two digits; the list is what Licheng's "17 departments'
 * platforms on one screen" (BRIEF.md) comprise, in the usual order of a district government.
 */
export interface DepartmentSeed {
  code: string;
  name: string;
  nameEn: string;
  /** Case domains this department usually leads (used by routing later). */
  domains: string[];
}

export const DISTRICT_DEPARTMENTS: readonly DepartmentSeed[] = [
  {
    code: 'D01',
    name: '区公安分局',
    nameEn: 'Public Security Bureau',
    domains: ['public order', 'traffic safety'],
  },
  { code: 'D02', name: '区司法局', nameEn: 'Justice Bureau', domains: ['mediation', 'legal aid'] },
  { code: 'D03', name: '区信访局', nameEn: 'Petitions Bureau', domains: ['petitions'] },
  {
    code: 'D04',
    name: '区住房和城乡建设局',
    nameEn: 'Housing and Urban-Rural Development Bureau',
    domains: ['housing', 'property management', 'construction'],
  },
  {
    code: 'D05',
    name: '区综合行政执法局',
    nameEn: 'Urban Management and Law Enforcement Bureau',
    domains: ['city appearance', 'illegal construction', 'street vending'],
  },
  {
    code: 'D06',
    name: '区人力资源和社会保障局',
    nameEn: 'Human Resources and Social Security Bureau',
    domains: ['wage arrears', 'social insurance'],
  },
  {
    code: 'D07',
    name: '区民政局',
    nameEn: 'Civil Affairs Bureau',
    domains: ['elderly care', 'social assistance'],
  },
  {
    code: 'D08',
    name: '区卫生健康局',
    nameEn: 'Health Commission',
    domains: ['health', 'epidemic prevention'],
  },
  {
    code: 'D09',
    name: '区教育和体育局',
    nameEn: 'Education and Sports Bureau',
    domains: ['schools', 'sports'],
  },
  {
    code: 'D10',
    name: '区市场监督管理局',
    nameEn: 'Market Supervision Administration',
    domains: ['food safety', 'consumer rights', 'prices'],
  },
  {
    code: 'D11',
    name: '济南市生态环境局历城分局',
    nameEn: 'Ecology and Environment Bureau (Licheng branch)',
    domains: ['pollution', 'noise'],
  },
  {
    code: 'D12',
    name: '区应急管理局',
    nameEn: 'Emergency Management Bureau',
    domains: ['work safety', 'emergencies', 'fire'],
  },
  { code: 'D13', name: '区交通运输局', nameEn: 'Transport Bureau', domains: ['roads', 'public transport'] },
  {
    code: 'D14',
    name: '区水务局',
    nameEn: 'Water Affairs Bureau',
    domains: ['water supply', 'drainage', 'flood control'],
  },
  {
    code: 'D15',
    name: '区农业农村局',
    nameEn: 'Agriculture and Rural Affairs Bureau',
    domains: ['rural affairs', 'land contracts'],
  },
  {
    code: 'D16',
    name: '济南市自然资源和规划局历城分局',
    nameEn: 'Natural Resources and Planning Bureau (Licheng branch)',
    domains: ['land use', 'planning'],
  },
  {
    code: 'D17',
    name: '区委政法委员会',
    nameEn: 'Political and Legal Affairs Commission',
    domains: ['social stability', 'risk assessment', 'grid management'],
  },
];
