import type { IntakeInput } from '@civicgrid/core';
import { AppError, requirePermission } from '@civicgrid/core';
import { writeXlsx } from '../exports/xlsx.js';
import type { Handler } from '../http/register.js';
import type { Services } from './services.js';

/** Largest case list exported to one workbook. */
const MAX_EXPORT_ROWS = 50_000;

/** Reads If-Match as a case version; weak/strong ETag forms are accepted. */
function ifMatchVersion(header: string | string[] | undefined): number | null {
  if (header === undefined) return null;
  const v = String(Array.isArray(header) ? header[0] : header)
    .replace(/^W\//, '')
    .replaceAll('"', '')
    .trim();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError('VALIDATION_FAILED', 'If-Match must be the case version', {
      issues: [{ path: 'headers.if-match', reason: 'a positive integer version, e.g. "3"' }],
    });
  return n;
}

/** Turns a channel's intake body into the service's input. */
function intakeInput(b: Record<string, unknown>): IntakeInput {
  const channel = b.channel as IntakeInput['channel'];
  const pick = (k: string) => (b[k] === undefined ? undefined : b[k]);
  const person = (b.caller ?? b.petitioner ?? b.contact) as { name?: string; phone?: string } | undefined;
  const fields: Record<string, unknown> = {};
  for (const k of [
    'photos',
    'hotlineDueAt',
    'source',
    'url',
    'author',
    'form',
    'people',
    'demands',
    'departmentCode',
  ])
    if (b[k] !== undefined) fields[k] = b[k];
  return {
    channel,
    text: b.text as string,
    location: pick('location') as IntakeInput['location'],
    address: pick('address') as string | undefined,
    category: pick('category') as string | undefined,
    priority: pick('priority') as IntakeInput['priority'],
    unitCode: pick('unitCode') as string | undefined,
    reporter: person,
    externalId: pick('externalId') as string | undefined,
    receivedAt: pick('receivedAt') as string | undefined,
    fields,
    resolvedOnSpot: pick('resolvedOnSpot') as IntakeInput['resolvedOnSpot'],
  };
}

/** Reports, cases, actions, inbox, ledger and categories. */
export function caseRoutes(s: Services) {
  const intakeReport: Handler = async ({ actor, body, ctx }) =>
    s.cases.intake(actor!, intakeInput(body as Record<string, unknown>), ctx);
  const listCases: Handler = async ({ actor, query: q }) =>
    s.cases.list(actor!, {
      queue: q.queue as never,
      channel: q.channel as never,
      limit: q.limit as number,
      before: q.before as string | undefined,
    });
  const listCasesXlsx: Handler = async ({ actor, query: q, reply }) => {
    const rows: Array<Awaited<ReturnType<typeof s.cases.list>>['items'][number]> = [];
    let before: string | undefined;
    // every page of the list the caller sees, keyset by keyset
    do {
      const page = await s.cases.list(actor!, {
        queue: q.queue as never,
        channel: q.channel as never,
        limit: 200,
        before,
      });
      rows.push(...page.items);
      before = page.nextCursor ?? undefined;
    } while (before && rows.length < MAX_EXPORT_ROWS);
    const file = `cases-${String(q.queue)}-${new Date().toISOString().slice(0, 10)}.xlsx`;
    reply.header('content-disposition', `attachment; filename="${file}"`);
    return writeXlsx([
      {
        name: '事件列表',
        columns: [
          { header: '事件编号' },
          { header: '状态' },
          { header: '渠道' },
          { header: '优先级' },
          { header: '分类' },
          { header: '事件概要', width: 50 },
          { header: '网格' },
          { header: '地址', width: 30 },
          { header: '上报数' },
          { header: '督办' },
          { header: '签收时限' },
          { header: '办理时限' },
          { header: '上报时间' },
          { header: '办结时间' },
        ],
        rows: rows
          .slice(0, MAX_EXPORT_ROWS)
          .map((c) => [
            c.number,
            c.status,
            c.channel,
            c.priority,
            c.category,
            c.summary,
            c.gridCode,
            c.address,
            c.reportCount,
            c.supervision === 'none' ? '' : c.supervision,
            c.deadlines.acceptBy ? new Date(c.deadlines.acceptBy) : null,
            c.deadlines.handleBy ? new Date(c.deadlines.handleBy) : null,
            new Date(c.createdAt),
            c.closedAt ? new Date(c.closedAt) : null,
          ]),
      },
    ]);
  };
  const getCase: Handler = async ({ actor, params, reply }) => {
    requirePermission(actor!, 'cases:read');
    const v = await s.cases.get(actor!, params.id as string);
    reply.header('etag', `"${v.version}"`);
    return v;
  };
  const caseAction: Handler = async ({ actor, params, body, req, reply, ctx }) => {
    requirePermission(actor!, 'cases:act');
    const c = await s.cases.getVisible(actor!, params.id as string);
    const ifMatch = ifMatchVersion(req.headers['if-match']);
    let next;
    try {
      next =
        params.action === 'revisit'
          ? await s.cases.actions.revisit(actor!, c, body as never, ifMatch, ctx)
          : await s.cases.actions.act(actor!, c, params.action as string, body, ifMatch, ctx);
    } catch (e) {
      // a stale or impossible action answers with the case as it is now and what may be done
      if (e instanceof AppError && (e.code === 'VERSION_CONFLICT' || e.code === 'TRANSITION_NOT_ALLOWED')) {
        const current = await s.cases.getVisible(actor!, c.id);
        throw new AppError(e.code, e.message, {
          ...(e.details as object),
          current: { id: current.id, status: current.status, version: current.version },
          allowed: await s.cases.actions.allowedFor(actor!, current),
        });
      }
      throw e;
    }
    const v = await s.cases.view(actor!, next);
    reply.header('etag', `"${v.version}"`);
    return v;
  };
  const inbox: Handler = async ({ actor, query: q }) => ({
    items: (await s.cases.inbox(actor!, { unreadOnly: q.unread === 'true', limit: q.limit as number })).map(
      (i) => ({
        id: i.id,
        caseId: i.caseId,
        kind: i.kind,
        title: i.title,
        createdAt: i.createdAt,
        readAt: i.readAt,
      }),
    ),
  });
  const ledger: Handler = async ({ actor, query: q }) => s.cases.ledger(actor!, q.community as string);
  const ledgerXlsx: Handler = async ({ actor, query: q, reply }) => {
    const l = await s.cases.ledger(actor!, q.community as string);
    const file = `ledger-${l.community.code}-${new Date().toISOString().slice(0, 10)}.xlsx`;
    reply.header('content-disposition', `attachment; filename="${file}"`);
    return writeXlsx([
      {
        name: `${l.community.name}台账`,
        columns: [
          { header: '类型' },
          { header: '事件编号' },
          { header: '联合处置序号' },
          { header: '事件概要', width: 50 },
          { header: '状态' },
          { header: '责任方' },
          { header: '责任方编号' },
          { header: '办理时限' },
          { header: '督办' },
          { header: '销号' },
        ],
        rows: l.items.map((i) => [
          i.kind === 'case' ? '事件' : '联合处置',
          i.number,
          i.jointNo,
          i.summary,
          i.status,
          i.owner,
          i.ownerId,
          i.dueAt ? new Date(i.dueAt) : null,
          i.supervision === 'none' ? '' : i.supervision,
          i.checkedOff ? '已销号' : '未销号',
        ]),
      },
    ]);
  };
  const ledgerHistory: Handler = async ({ actor, query: q }) =>
    s.cases.ledgerHistory(actor!, q.community as string, {
      from: q.from as string | undefined,
      to: q.to as string | undefined,
      limit: q.limit as number,
    });
  const volumes: Handler = async ({ actor, query: q }) =>
    s.volumes.volumes(actor!, q.unit as string, {
      granularity: q.granularity as 'month' | 'week',
      periods: q.periods as number,
    });
  const volumesCsv: Handler = async ({ actor, query: q, reply }) => {
    const v = await s.volumes.volumes(actor!, q.unit as string, {
      granularity: q.granularity as 'month' | 'week',
      periods: q.periods as number,
    });
    reply.header('content-disposition', `attachment; filename="volumes-${v.unit.code}-${v.granularity}.csv"`);
    const lines = [
      ['期间', '12345热线', '网络舆情', '信访', '回访数', '满意率'],
      ...v.periods.map((p, i) => [
        p,
        v.series.hotline[i],
        v.series.opinion[i],
        v.series.petition[i],
        v.satisfaction.rated[i],
        v.satisfaction.rate[i] === null ? '' : (v.satisfaction.rate[i]! * 100).toFixed(1),
      ]),
    ];
    return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
  };
  const suggestRouting: Handler = async ({ body }) => {
    const r = s.deps.route ? await s.deps.route((body as { text: string }).text) : null;
    if (!r) throw new AppError('UNAVAILABLE', 'smart routing is off on this server');
    return r;
  };
  const listCategories: Handler = async () => ({ items: await s.deps.store.repos.categories.list() });
  // a retry after a crash between commit and response: the intake's transaction result is the response;
  // an action's response is the case as it is now
  intakeReport.replayCommitted = async (_input, stored) => stored;
  caseAction.replayCommitted = async ({ actor, params }) => s.cases.get(actor!, params.id as string);
  return {
    intakeReport,
    listCases,
    listCasesXlsx,
    getCase,
    caseAction,
    inbox,
    ledger,
    ledgerXlsx,
    ledgerHistory,
    volumes,
    volumesCsv,
    suggestRouting,
    listCategories,
  } satisfies Record<string, Handler>;
}
