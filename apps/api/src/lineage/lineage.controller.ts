import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { PersonalDataReaderContext } from '@qc/pii';
import { LineageReader } from '@qc/registry';
import { ErrorBodyDto } from '../common/error-body.dto';
import { IdParamDto } from '../common/id-param.dto';
import { Reader } from '../common/reader.decorator';

const SUMMARY = 'Why this entity is what it is: every source record linked (file, record, batch, method, score), which record each field came from, and the merges and review decisions involving it. A merged id answers with its survivor (mergedInto).';

@ApiTags('lineage')
@ApiBearerAuth()
@Controller('v1')
export class LineageController {
  constructor(private readonly lineage: LineageReader) {}

  @Get('persons/:id/lineage')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: SUMMARY })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  person(@Param() { id }: IdParamDto, @Reader() reader: PersonalDataReaderContext) {
    return this.lineage.lineage('person', id, reader);
  }

  @Get('organizations/:id/lineage')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: SUMMARY })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  organization(@Param() { id }: IdParamDto, @Reader() reader: PersonalDataReaderContext) {
    return this.lineage.lineage('organization', id, reader);
  }
}
