import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_HOURLY_RATE, MAX_WEEKLY_LIMIT_HOURS, MIN_HOURLY_RATE } from '@escrow/domain/hourly';
import { MAX_FEE_SCHEDULE_ID_LENGTH, MAX_GATEWAY_REFERENCE_LENGTH, MAX_GROSS_AMOUNT, MAX_INSTANT_LENGTH, MAX_REASON_LENGTH, MAX_TITLE_LENGTH } from '@escrow/domain/shared/limits';
import { FreeText, Id, OptionalFreeText, OptionalYen, Yen } from '../http/dto-fields';
import { IsCalendarDate, IsInstant } from '../http/field-rules';

/** Shapes of the hourly contract's commands; every bound is the domain's. */

/** Minutes of the longest possible week: the most one report, dispute or award can name. */
const MAX_WEEK_MINUTES = MAX_WEEKLY_LIMIT_HOURS * 60;

const Minutes = (minimum: number, description: string) => (target: object, property: string | symbol) => {
  ApiProperty({ type: 'integer', minimum, maximum: MAX_WEEK_MINUTES, multipleOf: 15, description })(target, property);
  IsInt()(target, property);
  Min(minimum)(target, property);
  Max(MAX_WEEK_MINUTES)(target, property);
};

const Instant = (description: string) => (target: object, property: string | symbol) => {
  ApiProperty({ description, format: 'date-time', example: '2026-11-02T09:00:00+09:00', maxLength: MAX_INSTANT_LENGTH })(target, property);
  IsString()(target, property);
  MaxLength(MAX_INSTANT_LENGTH)(target, property);
  IsInstant()(target, property);
};

export class OfferHourlyContractDto {
  @Id({ example: 'client-1' })
  clientId!: string;

  @Id({ example: 'worker-1' })
  workerId!: string;

  @FreeText(MAX_TITLE_LENGTH, { example: 'Customer support desk' })
  title!: string;

  @Yen({ minimum: MIN_HOURLY_RATE, maximum: MAX_HOURLY_RATE }, { description: 'Tax-exclusive yen per hour', example: 2000 })
  hourlyRate!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_WEEKLY_LIMIT_HOURS, description: 'Whole hours a work week may bill at most', example: 40 })
  @IsInt()
  @Min(1)
  @Max(MAX_WEEKLY_LIMIT_HOURS)
  weeklyLimitHours!: number;

  @ApiPropertyOptional({ description: 'Fee schedule id; the default in force at acceptance when omitted', example: 'crowdworks-2019-10', maxLength: MAX_FEE_SCHEDULE_ID_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEE_SCHEDULE_ID_LENGTH)
  feeSchedule?: string;
}

export class HourlyPrepayDto {
  @FreeText(MAX_GATEWAY_REFERENCE_LENGTH, { description: 'Reference of the payment at the payments gateway', example: 'pay_123' })
  paymentReference!: string;

  @ApiProperty({ enum: ['card', 'bank_transfer', 'invoice'] })
  @IsIn(['card', 'bank_transfer', 'invoice'])
  method!: 'card' | 'bank_transfer' | 'invoice';

  @OptionalYen({ minimum: 1, maximum: MAX_GROSS_AMOUNT }, { description: 'Gross paid; the estimated week (rate × weekly limit, with tax) when omitted' })
  amount?: number;
}

export class RecordHoursDto {
  @Id({ description: "The time-tracking service's id of the report: a report is recorded once", example: 'tt-2026-11-02-001' })
  reportId!: string;

  @ApiProperty({ description: 'The Monday (Japan time) the work week starts on', example: '2026-11-02', format: 'date' })
  @IsCalendarDate()
  weekStart!: string;

  @Instant('Start of the work period reported')
  periodStart!: string;

  @Instant('End of the work period reported; not after now')
  periodEnd!: string;

  @Minutes(15, 'Minutes worked in the period, in quarter hours')
  minutes!: number;
}

export class DisputeHoursDto {
  @Minutes(15, "Minutes of the week's recorded hours the client disputes, in quarter hours")
  minutes!: number;

  @FreeText(MAX_REASON_LENGTH)
  reason!: string;
}

export class SettleDisputeDto {
  @Minutes(0, 'Minutes of the disputed ones the worker is paid for, in quarter hours (0 to all)')
  awardedMinutes!: number;

  @FreeText(MAX_REASON_LENGTH)
  reason!: string;
}

export class EndHourlyContractDto {
  @OptionalFreeText(MAX_REASON_LENGTH)
  reason?: string;
}
