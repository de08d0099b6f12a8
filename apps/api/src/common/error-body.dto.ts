import { ApiProperty } from '@nestjs/swagger';

export class ErrorBodyDto {
  @ApiProperty({ example: 'not_found' })
  code: string;

  @ApiProperty({ example: 'no division with code 150199000000' })
  message: string;

  @ApiProperty({ nullable: true, type: 'array', items: { type: 'string' } })
  details: string[] | null;
}
