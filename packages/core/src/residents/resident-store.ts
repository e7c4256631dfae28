import type { ReportRow } from '../cases/case-ports.js';
import type { Repositories } from '../ports.js';
import { AppError } from '../shared/errors.js';
import type {
  ResidentReportRow,
  ResidentReportSource,
  ResidentRepositories,
  ResidentRepository,
} from './resident-ports.js';

/**
 * The resident repository of a repository set (the pool's or a transaction's). Until `Repositories`
 * names it, the field is looked up here, so nothing else in the module needs a cast.
 */
export function residentRepo(repos: Repositories): ResidentRepository {
  const repo = (repos as Repositories & Partial<ResidentRepositories>).residents;
  if (!repo) throw new Error('the store has no residents repository (add it in packages/db store.ts)');
  return repo;
}

/**
 * The tracking row of a report, written now if it is missing: a crash between the intake's commit
 * and the row's insert, or a redelivery racing the first delivery. The tracking code was committed
 * with the report (in its fields), so the same row is written again; a second write is a no-op.
 */
export async function ensureTracked(
  repos: Repositories,
  report: ReportRow,
  owner: { userId: string | null; gridCode: string; source: ResidentReportSource },
): Promise<ResidentReportRow> {
  const repo = residentRepo(repos);
  const found = await repo.findReportByReportId(report.id);
  if (found) return found;
  const trackingCode = report.fields.trackingCode;
  if (typeof trackingCode !== 'string') throw new AppError('INTERNAL', 'the report has no tracking code');
  const row: ResidentReportRow = {
    trackingCode,
    caseId: report.caseId,
    reportId: report.id,
    ...owner,
    createdAt: report.createdAt,
    ratedAt: null,
    satisfaction: null,
  };
  await repo.insertReport(row);
  return (await repo.findReportByReportId(report.id)) ?? row;
}
