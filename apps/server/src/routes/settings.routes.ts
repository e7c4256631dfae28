import type { LoopOptionsInput } from '@civicgrid/core';
import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

/** Admin editing of the loop: working calendar, time-limit rules, options, the category catalogue. */
export function settingsRoutes(s: Services) {
  const getLoopSettings: Handler = async ({ actor }) => s.loopSettings.get(actor!);
  const putCalendar: Handler = async ({ actor, body, ctx }) => s.loopSettings.setCalendar(actor!, body, ctx);
  const putTimeLimits: Handler = async ({ actor, body, ctx }) =>
    s.loopSettings.setTimeLimitRules(actor!, body, ctx);
  const patchLoopOptions: Handler = async ({ actor, body, ctx }) =>
    s.loopSettings.setOptions(actor!, body as LoopOptionsInput, ctx);
  const createCategory: Handler = async ({ actor, body, ctx }) =>
    s.loopSettings.createCategory(actor!, body as { parentCode?: string; name: string }, ctx);
  const updateCategory: Handler = async ({ actor, params, body, ctx }) =>
    s.loopSettings.updateCategory(
      actor!,
      params.code as string,
      body as { name?: string; isActive?: boolean },
      ctx,
    );
  createCategory.replayCommitted = async (_input, stored) => stored;
  return {
    getLoopSettings,
    putCalendar,
    putTimeLimits,
    patchLoopOptions,
    createCategory,
    updateCategory,
  } satisfies Record<string, Handler>;
}
