import { Module } from '@nestjs/common';
import { ChangeRecorder } from '@qc/changes';
import { DivisionStatsService } from './division-stats.service';
import { DivisionsService } from './divisions.service';

@Module({
  providers: [DivisionsService, DivisionStatsService, ChangeRecorder],
  exports: [DivisionsService, DivisionStatsService],
})
export class DivisionsModule {}
