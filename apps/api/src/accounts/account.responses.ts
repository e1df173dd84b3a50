import { CLOSURE_BLOCKERS, type ClosureBlocker } from '@escrow/domain/account';
import { BooleanField, EnumListField, IdField } from '../http/openapi/response-fields';
import type { ClosureEligibilityResponse } from './account-handlers';

/** GET /v1/accounts/{id}/closure-eligibility: the reasons CloseAccount would be refused for now, in their fixed order. */
export class ClosureEligibilitySchema implements ClosureEligibilityResponse {
  @IdField() accountId!: string;
  @BooleanField() closed!: boolean;
  @BooleanField({ description: 'true when no reason applies' }) eligible!: boolean;
  @EnumListField(CLOSURE_BLOCKERS) reasons!: ClosureBlocker[];
}
