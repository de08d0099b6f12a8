import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { parseCitizenId } from '@qc/fields';
import { PersonalDataReaderContext } from '@qc/pii';
import { PersonQuery } from '@qc/query';
import { ApiErrors } from '../common/api-errors.decorator';
import { divisionCodeOf } from '../common/division-filter';
import { ETag } from '../common/etag';
import { found } from '../common/found';
import { IdParamDto } from '../common/id-param.dto';
import { Reader } from '../common/reader.decorator';
import { ListPersonsQueryDto, PersonDto, PersonLookupDto, PersonPageDto } from './person.dto';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('v1/persons')
export class PersonsController {
  constructor(private readonly persons: PersonQuery) {}

  @Get()
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'Persons by name (characters or pinyin), organization, division or role, page by page; ID numbers and phones masked without registry:read-pii' })
  @ApiOkResponse({ type: PersonPageDto })
  @ApiErrors(400)
  list(@Query() query: ListPersonsQueryDto, @Reader() reader: PersonalDataReaderContext): Promise<PersonPageDto> {
    return this.persons.list({ ...query, divisionCode: divisionCodeOf(query.division) }, reader);
  }

  @Get(':id')
  @RequireScopes('registry:read')
  @ETag()
  @ApiOperation({ summary: 'A person with memberships and roles (ETag / If-None-Match); ID number and phone masked without registry:read-pii' })
  @ApiOkResponse({ type: PersonDto })
  @ApiErrors(400, 404)
  async get(@Param() { id }: IdParamDto, @Reader() reader: PersonalDataReaderContext): Promise<PersonDto> {
    return found(await this.persons.get(id, reader), 'person', id);
  }

  // An answer tells whether someone with that number is registered, so the route needs the
  // personal-data scope, and each hit is audited like any clear read.
  @Post('lookup')
  @HttpCode(HttpStatus.OK)
  @RequireScopes('registry:read-pii')
  @ApiOperation({ summary: 'The person a full ID number names (needs registry:read-pii; audited)' })
  @ApiOkResponse({ type: PersonDto })
  @ApiErrors(400, 404, 422)
  async lookup(@Body() { idNumber }: PersonLookupDto, @Reader() reader: PersonalDataReaderContext): Promise<PersonDto> {
    const parsed = parseCitizenId(idNumber);
    // The parser's reason quotes the number: never echoed.
    if (!parsed.ok || parsed.value.kind !== 'valid') throw new UnprocessableEntityException('idNumber is not a valid citizen ID number (check character or birth date)');
    const person = await this.persons.lookupByIdNumber(parsed.value.id18, reader);
    if (!person) throw new NotFoundException('no person has that ID number');
    return person;
  }
}
