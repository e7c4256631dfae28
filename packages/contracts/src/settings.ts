import { z } from 'zod';

/** The working calendar as stored (validated in depth by the core's validateCalendar). */
export const WorkingCalendar = z
  .object({
    workdays: z.array(z.number().int()).optional().describe('ISO weekdays 1 (Mon) … 7 (Sun)'),
    periods: z
      .array(z.object({ start: z.string(), end: z.string() }))
      .optional()
      .describe('working periods of a day, local time HH:MM'),
    holidays: z.array(z.string()).optional().describe('YYYY-MM-DD days off (法定节假日)'),
    makeupWorkdays: z.array(z.string()).optional().describe('YYYY-MM-DD weekend days worked (调休)'),
  })
  .passthrough()
  .meta({ id: 'WorkingCalendar' });

export const TimeLimitRule = z
  .object({
    level1: z.string().optional().describe('first-level category name; absent = any'),
    priority: z.string().optional(),
    limit: z
      .record(z.string(), z.unknown())
      .describe('{ mode: working|calendar, acceptHours, handleHours, feedbackHours }'),
  })
  .passthrough()
  .meta({ id: 'TimeLimitRule' });

export const LoopOptions = z
  .object({
    recurrence: z
      .object({ radiusM: z.number().int().min(10).max(5000), days: z.number().int().min(1).max(365) })
      .optional(),
    sameDayEscalation: z.boolean().optional(),
    revisitAfterHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .optional(),
  })
  .strict();

export const LoopSettings = z
  .object({
    calendar: z.unknown(),
    timeLimitRules: z.array(z.unknown()),
    recurrence: z.object({ radiusM: z.number(), days: z.number() }),
    sameDayEscalation: z.boolean(),
    revisitAfterHours: z.number(),
  })
  .meta({ id: 'LoopSettings' });

export const CategoryCreate = z
  .object({
    parentCode: z
      .string()
      .regex(/^\d{2}(\.\d{2})?$/)
      .optional()
      .describe('absent = a first-level category'),
    name: z.string().max(200),
  })
  .strict();
export const CategoryCodeParam = z.object({ code: z.string().regex(/^\d{2}(\.\d{2}(\.\d{3})?)?$/) });
export const CategoryUpdate = z
  .object({ name: z.string().max(200).optional(), isActive: z.boolean().optional() })
  .strict();
