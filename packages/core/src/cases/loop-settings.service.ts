import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import { audit } from '../audit/audit.service.js';
import type { RequestContext, ServiceDeps } from '../shared/context.js';
import { AppError, validationError } from '../shared/errors.js';
import type { FieldIssue } from '../shared/errors.js';
import { validateCalendar, validateTimeLimitRules } from '../timelimits/index.js';
import type { CategoryRow } from './case-ports.js';
import { loopSettings, SETTING_KEYS } from './case-settings.js';

const MAX_NAME = 100;

/** Options of the loop besides the calendar and the limits. */
export interface LoopOptionsInput {
  recurrence?: { radiusM: number; days: number };
  sameDayEscalation?: boolean;
  revisitAfterHours?: number;
}

function checkName(name: unknown, issues: FieldIssue[], path = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push({ path, reason: 'a non-empty name' });
    return '';
  }
  const t = name.trim();
  if ([...t].length > MAX_NAME) issues.push({ path, reason: `at most ${MAX_NAME} characters` });
  if (t.includes('/')) issues.push({ path, reason: "must not contain '/' (the path separator)" });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) issues.push({ path, reason: 'contains a control character' });
  return t;
}

/** The next free code under a parent: 2 digits for levels 1–2, 3 digits for level 3. */
function nextCode(siblings: readonly CategoryRow[], parent: CategoryRow | undefined): string {
  const width = parent?.level === 2 ? 3 : 2;
  const max = siblings.reduce((m, c) => Math.max(m, Number(c.code.split('.').at(-1))), 0);
  if (max + 1 >= 10 ** width)
    throw new AppError('CONFLICT', `no free code left under ${parent?.code ?? 'the top level'}`);
  const own = String(max + 1).padStart(width, '0');
  return parent ? `${parent.code}.${own}` : own;
}

/**
 * Admin editing of the closed loop's settings: the working calendar (holidays, 调休 workdays),
 * the time-limit rules, the loop's options and the category catalogue. Each change is validated
 * (VALIDATION_FAILED naming every bad field), written in one transaction with its audit row, and
 * applies to the next action (timers already planned keep their instants).
 */
export function createLoopSettingsService(deps: ServiceDeps) {
  const { store, clock } = deps;

  async function write(actor: Actor, ctx: RequestContext, key: string, value: unknown, what: string) {
    const now = clock.now().toISOString();
    await store.transaction(async (tx) => {
      await tx.settings.set(key, value, now);
      await audit(tx, deps, actor, ctx, `settings.${what}`, 'setting', key, { value });
    });
  }

  return {
    /** Every loop setting as it applies now (defaults included). */
    async get(actor: Actor) {
      requirePermission(actor, 'settings:read');
      const s = await loopSettings(store);
      return { ...s, timeLimitRules: [...s.timeLimitRules] };
    },

    /** Replaces the working calendar. */
    async setCalendar(actor: Actor, input: unknown, ctx: RequestContext) {
      requirePermission(actor, 'settings:write');
      const calendar = validateCalendar(input);
      await write(actor, ctx, SETTING_KEYS.calendar, calendar, 'calendar');
      return calendar;
    },

    /** Replaces the time-limit rules; each rule's category must be a first-level category. */
    async setTimeLimitRules(actor: Actor, input: unknown, ctx: RequestContext) {
      requirePermission(actor, 'settings:write');
      const level1 = (await store.repos.categories.list()).filter((c) => c.level === 1).map((c) => c.name);
      const rules = validateTimeLimitRules(input, level1);
      await write(actor, ctx, SETTING_KEYS.timeLimitRules, rules, 'timeLimits');
      return rules;
    },

    /** Changes the loop's options (recurrence window, same-day rule, revisit delay). */
    async setOptions(actor: Actor, input: LoopOptionsInput, ctx: RequestContext) {
      requirePermission(actor, 'settings:write');
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        const changes: Array<[string, unknown]> = [];
        if (input.recurrence) changes.push([SETTING_KEYS.recurrence, input.recurrence]);
        if (input.sameDayEscalation !== undefined)
          changes.push([SETTING_KEYS.sameDayEscalation, input.sameDayEscalation]);
        if (input.revisitAfterHours !== undefined)
          changes.push([SETTING_KEYS.revisitAfterHours, input.revisitAfterHours]);
        if (changes.length === 0)
          throw validationError([{ path: '', reason: 'nothing to change' }], 'no option given');
        for (const [k, v] of changes) await tx.settings.set(k, v, now);
        await audit(
          tx,
          deps,
          actor,
          ctx,
          'settings.loopOptions',
          'setting',
          'loop',
          Object.fromEntries(changes),
        );
      });
      return this.get(actor);
    },

    /** Adds a category under a parent (or a first-level one); its code is the next free one. */
    async createCategory(actor: Actor, input: { parentCode?: string; name: string }, ctx: RequestContext) {
      requirePermission(actor, 'settings:write');
      const issues: FieldIssue[] = [];
      const name = checkName(input.name, issues);
      const all = await store.repos.categories.list();
      const parent = input.parentCode ? all.find((c) => c.code === input.parentCode) : undefined;
      if (input.parentCode && !parent) issues.push({ path: 'parentCode', reason: 'unknown category' });
      if (parent && parent.level >= 3)
        issues.push({ path: 'parentCode', reason: 'level-3 categories have no children' });
      const siblings = all.filter((c) => c.parentCode === (parent?.code ?? null));
      if (siblings.some((c) => c.name === name))
        issues.push({
          path: 'name',
          reason: `already a category here (${siblings.find((c) => c.name === name)?.code})`,
        });
      if (issues.length) throw validationError(issues, 'invalid category');
      const row: CategoryRow = {
        code: nextCode(siblings, parent),
        level: (parent?.level ?? 0) + 1,
        name,
        parentCode: parent?.code ?? null,
        path: parent ? `${parent.path}/${name}` : name,
        isActive: true,
      };
      const now = clock.now().toISOString();
      return store.transaction(async (tx) => {
        await tx.categories.upsertMany([row], now);
        await audit(tx, deps, actor, ctx, 'category.create', 'category', row.code, {
          name,
          parent: row.parentCode,
        });
        return row;
      });
    },

    /**
     * Renames or (de)activates a category. A deactivated category is kept for old cases but not
     * offered for new ones; renaming a first-level category that a time-limit rule names is refused
     * (the rule would silently stop applying).
     */
    async updateCategory(
      actor: Actor,
      code: string,
      input: { name?: string; isActive?: boolean },
      ctx: RequestContext,
    ) {
      requirePermission(actor, 'settings:write');
      const all = await store.repos.categories.list();
      const cat = all.find((c) => c.code === code);
      if (!cat) throw new AppError('NOT_FOUND', `category ${code} not found`);
      const issues: FieldIssue[] = [];
      const name = input.name === undefined ? cat.name : checkName(input.name, issues);
      if (input.name === undefined && input.isActive === undefined)
        issues.push({ path: '', reason: 'give a name or isActive' });
      if (name !== cat.name && all.some((c) => c.parentCode === cat.parentCode && c.name === name))
        issues.push({ path: 'name', reason: 'already a category here' });
      if (issues.length) throw validationError(issues, 'invalid category change');
      if (cat.level === 1 && name !== cat.name) {
        const rules = (await loopSettings(store)).timeLimitRules;
        if (rules.some((r) => r.level1 === cat.name))
          throw new AppError('CONFLICT', `a time-limit rule names '${cat.name}': change the rules first`);
      }
      const renamed = (c: CategoryRow): CategoryRow =>
        c.path === cat.path || c.path.startsWith(`${cat.path}/`)
          ? {
              ...c,
              path: `${cat.path.slice(0, cat.path.length - cat.name.length)}${name}${c.path.slice(cat.path.length)}`,
            }
          : c;
      // a rename changes the paths of every descendant; deactivation applies to the subtree too
      const subtree = all
        .filter((c) => c.code === cat.code || c.code.startsWith(`${cat.code}.`))
        .map((c) => ({
          ...renamed(c),
          ...(c.code === cat.code && { name }),
          ...(input.isActive !== undefined && { isActive: input.isActive }),
        }));
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        await tx.categories.upsertMany(subtree, now);
        await audit(tx, deps, actor, ctx, 'category.update', 'category', code, {
          name: name !== cat.name ? name : undefined,
          isActive: input.isActive,
          rows: subtree.length,
        });
      });
      return subtree.find((c) => c.code === code)!;
    },
  };
}

export type LoopSettingsService = ReturnType<typeof createLoopSettingsService>;
