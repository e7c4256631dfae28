import { CASE_RULES } from './case-rules.js';
import type { CaseAction, CaseStatus } from './case-types.js';
import { CASE_ACTIONS } from './case-types.js';

/** One row of the action table: in `state`, `action` leads to `to` (when `condition` holds). */
export interface ActionTableRow {
  state: CaseStatus;
  action: CaseAction;
  to: CaseStatus;
  /** A further condition on the state or payload, in words. */
  condition: string | null;
  whoMay: string;
  payload: string;
}

function rowsOf(action: CaseAction): ActionTableRow[] {
  const rule = CASE_RULES[action];
  return rule.from.flatMap((state): ActionTableRow[] => {
    const base = { state, action, whoMay: rule.whoMay, payload: rule.payloadDoc };
    const when = rule.whenDoc ?? null;
    if (rule.to === 'verdict') {
      return [
        { ...base, to: 'verified', condition: 'payload.passed is true' },
        { ...base, to: 'handling', condition: 'payload.passed is false (back to the same handler)' },
      ];
    }
    return [{ ...base, to: rule.to === 'same' ? state : rule.to, condition: when }];
  });
}

/** The closed loop as a table of (state, action) → target state and who may act, for the docs. */
export const ACTION_TABLE: readonly ActionTableRow[] = CASE_ACTIONS.flatMap(rowsOf);
