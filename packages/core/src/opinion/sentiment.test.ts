import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engagement } from './post.js';
import { engagementHeat, postHeat, scoreNegativity, topicHeat } from './sentiment.js';

const score = (text: string) => scoreNegativity(text).score;

/** Real posts from the public message-board feed (data/messages/board-hot.jsonl.gz). */
const REAL = {
  consult: '咨询A2区黑石铺冷库对面肉联厂18栋的平房什么时候拆迁？',
  thanks:
    '原帖链接：A7县星沙医院如此明目张胆偷税漏税？已收到回复！已收到医院开具的尔卡蔡司公司的晶体交费发票，感谢彭敏主任和医院院长对于我提出的问题的回答，非常谢谢领导们的关心！',
  streetLamp:
    '尊敬的张县长：我是星湖湾居民，从宁华路往望仙路方向走，有200米左右路段路灯不亮，晚上散步乌漆麻黑、小学生早上上学也不安全。请张县长百忙之中关注一下这个民生小问题。感谢！',
  nightWork:
    '桐阴里夜间施工扰民，桐阴里小区长期以来一直夜间施工，对周边的住户影响较大，希望有关部门出面解决。',
  wages:
    '国家三令五申严禁拖欠农民工工资，这就是主管部门的对待农民工工资的态度，弱势群体的农民工维权何其难?农民工工资何日拿到手?！！！',
  illegalBuilding:
    '八方小区又在搞违法搭建了！八方小区内的国家开发银行祥泰山庄2栋1楼，又有人顶风作案、违法搭建，政府无人管理，简直无法无天。',
  hotel:
    'A1区紫薇路上的美聚酒店噪声扰民投诉多次无人管理，酒店内私搭乱建严重，从早到晚的唱歌，喊口号，乱建部分曾发生过火灾，恳请有关部门查证落实，还周边住户一个安宁',
};

describe('scoreNegativity on real posts', () => {
  it('orders them from a question and thanks to angry complaints', () => {
    expect(score(REAL.consult)).toBeLessThanOrEqual(0.1);
    expect(score(REAL.thanks)).toBeLessThanOrEqual(0.1);
    const ordered = [REAL.streetLamp, REAL.nightWork, REAL.wages, REAL.illegalBuilding].map(score);
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
    expect(new Set(ordered).size).toBe(ordered.length);
    expect(score(REAL.streetLamp)).toBeGreaterThan(score(REAL.thanks));
    expect(score(REAL.illegalBuilding)).toBeGreaterThan(0.9);
    expect(score(REAL.hotel)).toBeGreaterThan(0.9);
  });

  it('explains itself with the hits', () => {
    const r = scoreNegativity(REAL.illegalBuilding);
    expect(r.hits.map((h) => h.term)).toEqual(
      expect.arrayContaining(['违法', '顶风作案', '无人管', '无法无天']),
    );
    expect(r.hits.find((h) => h.term === '无法无天')?.contribution).toBeGreaterThan(3); // 简直 intensifies
  });
});

describe('scoreNegativity rules', () => {
  it('turns a negated positive word negative', () => {
    expect(score('满意')).toBe(0);
    expect(score('不满意')).toBeGreaterThan(0.3);
    expect(score('问题解决了')).toBeLessThan(score('问题一直没有解决'));
    const r = scoreNegativity('一直没有解决');
    expect(r.hits).toEqual([{ term: '解决', start: 4, contribution: 1.5, negated: true }]);
  });

  it('cancels a negated negative word, but not after 不仅 or 不断', () => {
    expect(score('并不严重')).toBe(0);
    expect(score('不断扰民')).toBe(score('扰民'));
    expect(score('不仅扰民')).toBe(score('扰民'));
  });

  it('does not let a negator inside an earlier term negate the next one', () => {
    expect(scoreNegativity('不作为不解决').hits.map((h) => h.term)).toEqual(['不作为', '解决']);
    expect(scoreNegativity('无人管解决').hits.map((h) => h.term)).toEqual(['无人管']);
  });

  it('weighs intensifiers and exclamation marks', () => {
    expect(score('非常严重')).toBeGreaterThan(score('严重'));
    expect(score('极其恶劣')).toBeGreaterThan(score('非常恶劣'));
    expect(score('太吵了！')).toBeGreaterThan(score('太吵了'));
    expect(score('太吵了！！！')).toBeGreaterThan(score('太吵了！'));
    expect(score('太吵了!!!')).toBe(score('太吵了！！！'));
  });

  it('counts a repeated word less and damps long letters', () => {
    expect(scoreNegativity('投诉投诉投诉投诉').raw).toBe(3);
    const short = '工地噪音扰民';
    expect(score(short + '。'.repeat(1000))).toBeLessThan(score(short));
  });

  it('stays within 0..1 for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (t) => {
        const s = score(t);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(1);
      }),
    );
  });
});

const e = (part: Partial<Engagement>): Engagement => ({
  likes: 0,
  comments: 0,
  shares: 0,
  views: 0,
  against: 0,
  ...part,
});

describe('heat', () => {
  it('is 0 without engagement and grows with log-scaled counts', () => {
    expect(postHeat(e({}))).toBe(0);
    expect(postHeat(e({ likes: 50 }))).toBeCloseTo(0.388, 2);
    expect(postHeat(e({ likes: 2000 }))).toBeCloseTo(0.613, 2);
    expect(postHeat(e({ shares: 50 }))).toBeGreaterThan(postHeat(e({ likes: 50 })));
    expect(engagementHeat(e({ views: 100 }))).toBeCloseTo(0.5 * Math.log(2), 10);
  });

  it('is monotone in every counter and below 1', () => {
    const counts = fc.record({
      likes: fc.nat(1e6),
      comments: fc.nat(1e6),
      shares: fc.nat(1e6),
      views: fc.nat(1e9),
      against: fc.nat(1e6),
    });
    fc.assert(
      fc.property(counts, fc.constantFrom('likes', 'comments', 'shares', 'views', 'against'), (c, key) => {
        const more = { ...c, [key]: c[key as keyof Engagement] + 1000 };
        expect(postHeat(more)).toBeGreaterThanOrEqual(postHeat(c));
        expect(postHeat(more)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives a topic the heat of its summed engagement', () => {
    expect(topicHeat([e({ likes: 10 }), e({ likes: 40 })])).toBe(postHeat(e({ likes: 50 })));
    expect(topicHeat([])).toBe(0);
  });
});
