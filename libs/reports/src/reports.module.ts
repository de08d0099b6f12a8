import { Module } from '@nestjs/common';
import { DivisionsModule } from '@qc/divisions';
import { QualityReport } from './quality.report';
import { RedPropertyReport } from './red-property.report';
import { ReportScheduler } from './report.scheduler';
import { ReportScopes } from './report-scope';
import { ReportSources } from './report-sources';
import { ReportsService } from './reports.service';
import { RosterReport } from './roster.report';
import { StructureReport } from './structure.report';

/** Officials' reports (workbook, CSV, JSON), on request and on schedule. Needs the schedule module where the scheduler runs. */
@Module({
  imports: [DivisionsModule],
  providers: [ReportScopes, ReportSources, StructureReport, RedPropertyReport, RosterReport, QualityReport, ReportsService, ReportScheduler],
  exports: [ReportsService, ReportScheduler],
})
export class ReportsModule {}
