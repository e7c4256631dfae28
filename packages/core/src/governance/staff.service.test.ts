import { describe, expect, it } from 'vitest';
import { vacanciesFrom } from './staff.service.js';

describe('vacancy report', () => {
  it('lists grids missing any of leader, instructor, worker, and teams outside 3–5', () => {
    const counts = [
      { unitId: '1', code: 'G1', name: 'g1', role: 'gridLeader', n: 1 },
      { unitId: '1', code: 'G1', name: 'g1', role: 'gridInstructor', n: 1 },
      { unitId: '1', code: 'G1', name: 'g1', role: 'gridWorker', n: 1 },
      { unitId: '2', code: 'G2', name: 'g2', role: 'gridLeader', n: 2 },
      { unitId: '2', code: 'G2', name: 'g2', role: 'volunteer', n: 3 },
      { unitId: '3', code: 'G3', name: 'g3', role: '', n: 0 },
    ];
    const r = vacanciesFrom(counts, [
      { code: 'C1', name: 'c1', n: 3 },
      { code: 'C2', name: 'c2', n: 2 },
      { code: 'C3', name: 'c3', n: 6 },
    ]);
    expect(r.gridsChecked).toBe(3);
    expect(r.grids).toEqual([
      { code: 'G2', name: 'g2', missing: ['gridInstructor', 'gridWorker'], surplus: ['gridLeader'] },
      { code: 'G3', name: 'g3', missing: ['gridLeader', 'gridInstructor', 'gridWorker'], surplus: [] },
    ]);
    expect(r.mediationTeams.map((t) => t.code)).toEqual(['C2', 'C3']);
  });
});
