import type { CompletionRate } from '@escrow/projections/completion-rates/completion-rate';
import type { ClientCompletionRate, WorkerCompletionRate } from './party-read-models.controller';
import { BooleanField, CountField, IdField, TextField } from '../http/openapi/response-fields';

/** A completion rate (プロジェクト完了率) of one party. */
export class CompletionRateSchema implements CompletionRate {
  @CountField({ description: 'Contracts completed' }) completed!: number;
  @CountField({ description: 'Contracts no longer in progress: completed + terminated' }) ended!: number;
  @TextField({ nullable: true, description: 'completed / ended, a decimal string of at most 4 decimals, truncated; null when nothing ended' })
  rate!: string | null;
  @BooleanField({ description: 'completed / ended ≥ 90 %, on the exact ratio' }) atLeast90!: boolean;
}

export class ClientCompletionRateSchema extends CompletionRateSchema implements ClientCompletionRate {
  @IdField() clientId!: string;
}

export class WorkerCompletionRateSchema extends CompletionRateSchema implements WorkerCompletionRate {
  @IdField() workerId!: string;
}
