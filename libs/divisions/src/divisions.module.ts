import { Module } from '@nestjs/common';
import { ChangeRecorder } from '@qc/changes';
import { DivisionsService } from './divisions.service';

@Module({
  providers: [DivisionsService, ChangeRecorder],
  exports: [DivisionsService],
})
export class DivisionsModule {}
