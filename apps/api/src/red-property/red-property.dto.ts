import { ApiProperty } from '@nestjs/swagger';
import { RedPropertyBranchView } from '@qc/query';
import { MemberCountsDto } from '../organizations/organization.dto';
import { PageOf } from '../common/page.dto';

export class RedPropertyCompanyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '呼和浩特市日富物业服务有限责任公司' }) name: string;
  @ApiProperty({ nullable: true, type: String, description: 'unified social credit code (GB 32100)' }) creditCode: string | null;
}

export class ServedCompoundDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '航苑小区' }) name: string;
}

export class RedPropertyBranchDto implements RedPropertyBranchView {
  @ApiProperty({ format: 'uuid', description: 'the organization id (GET /v1/organizations/{id})' }) id: string;
  @ApiProperty({ example: '日富物业党支部' }) shortName: string;
  @ApiProperty({ nullable: true, type: String }) formalName: string | null;
  @ApiProperty({ type: RedPropertyCompanyDto, nullable: true }) company: RedPropertyCompanyDto | null;
  @ApiProperty({ type: [ServedCompoundDto], description: 'compounds the branch serves' }) compounds: ServedCompoundDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the community of the first compound it serves' }) communityCode: string | null;
  @ApiProperty({ type: MemberCountsDto }) members: MemberCountsDto;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2019-03-01' }) foundedOn: string | null;
  @ApiProperty({ nullable: true, enum: ['day', 'month', 'year'], example: 'month' }) foundedPrecision: 'day' | 'month' | 'year' | null;
}

export class RedPropertyBranchPageDto extends PageOf(RedPropertyBranchDto) {}
