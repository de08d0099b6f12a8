import { Injectable } from '@nestjs/common';
import { REPORT_NAMES, ReportName } from '@qc/config';
import { QualityReport } from './quality.report';
import { RedPropertyReport } from './red-property.report';
import { ReportRequest, ReportTable } from './report-definition';
import { ReportRequestError } from './report-scope';
import { RosterReport } from './roster.report';
import { StructureReport } from './structure.report';

export interface ReportSummary { name: ReportName; title: string; scope: string }

/** The reports by name; opening one checks its scope before any row is produced. */
@Injectable()
export class ReportsService {
  private readonly reports: Record<ReportName, { title: string; open(request: ReportRequest): Promise<ReportTable> }>;

  constructor(structure: StructureReport, redProperty: RedPropertyReport, roster: RosterReport, quality: QualityReport) {
    this.reports = { structure, 'red-property': redProperty, roster, quality };
  }

  list(): ReportSummary[] {
    const scopes: Record<ReportName, string> = {
      structure: 'division code (default: the city)', 'red-property': 'division code (default: the city)',
      roster: 'division code or organization id (default: the city)', quality: 'import batch id (default: every import)',
    };
    return REPORT_NAMES.map((name) => ({ name, title: this.reports[name].title, scope: scopes[name] }));
  }

  async open(name: string, request: ReportRequest): Promise<ReportTable> {
    if (!(REPORT_NAMES as readonly string[]).includes(name)) {
      throw new ReportRequestError(`no report "${name}"; reports: ${REPORT_NAMES.join(', ')}`, 404);
    }
    return this.reports[name as ReportName].open({ ...request, scope: request.scope?.trim() || null });
  }
}
