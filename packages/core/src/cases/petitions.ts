import type { Repositories } from '../ports.js';
import { estimateJaccard, minhashSignature } from '../merging/index.js';
import type { Priority } from './case-ports.js';

/** The window in which a petition counts as a repeat (重复访) of an earlier one. */
export const REPEAT_PETITION_DAYS = 180;
/** People at which a petition is collective (集体访: five or more). */
export const COLLECTIVE_PETITION_PEOPLE = 5;
/** Text similarity at which two petitions in one community are the same matter. */
const SAME_MATTER_JACCARD = 0.45;

/** What intake records of a petition beyond its report. */
export interface PetitionFlags {
  collective: boolean;
  /** Earlier petitions by the same person (case numbers), newest first. */
  repeatByPerson: string[];
  /** Earlier petitions on the same matter in the same community (case numbers). */
  repeatByMatter: string[];
  /** The priority the petition is handled with: petitions run on stricter limits. */
  priority: Priority;
}

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * Flags a new petition (信访): collective when five or more people come; a repeat when the same
 * petitioner (by phone) or the same matter in the same community (similar text) came within 180
 * days. Petitions are handled at least as `high` priority (3 working days under the default
 * rules), collective ones as `urgent`, because the petition line has stricter time limits.
 */
export async function petitionFlags(
  tx: Repositories,
  input: { text: string; phone: string | null; people: number; priority: Priority | undefined },
  communityPath: string,
  now: Date,
): Promise<PetitionFlags> {
  const since = new Date(now.getTime() - REPEAT_PETITION_DAYS * 86_400_000).toISOString();
  const byPerson = input.phone ? await tx.cases.findPetitions({ since, phone: input.phone, limit: 20 }) : [];
  const nearby = await tx.cases.findPetitions({ since, scopePrefix: communityPath, limit: 200 });
  const sig = minhashSignature(input.text);
  const byMatter = nearby.filter(
    (p) => estimateJaccard(sig, minhashSignature(p.text)) >= SAME_MATTER_JACCARD,
  );
  const collective = input.people >= COLLECTIVE_PETITION_PEOPLE;
  const floor: Priority = collective ? 'urgent' : 'high';
  const given = input.priority ?? 'normal';
  return {
    collective,
    repeatByPerson: [...new Set(byPerson.map((p) => p.number))],
    repeatByMatter: [...new Set(byMatter.map((p) => p.number))],
    priority: RANK[given] >= RANK[floor] ? given : floor,
  };
}
