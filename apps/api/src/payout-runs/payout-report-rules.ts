import { badRequest, type FieldError } from '../http/problem';
import type { PayoutReportItemDto } from './payout-run-report.dto';

/**
 * The rules across an item's fields and across items that the field decorators cannot state: a failed transfer
 * says why, a paid one carries no reason, a failed one no transfer reference, and a withdrawal is reported once
 * per report. Broken, the whole report is refused before anything is recorded.
 */
export function refuseInvalidReport(items: readonly PayoutReportItemDto[]): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = (field: string) => `items[${index}].${field}`;
    if (item.outcome === 'failed' && item.reason === undefined) {
      errors.push({ field: at('reason'), rule: 'required', message: `${at('reason')} is required when the outcome is failed` });
    }
    if (item.outcome === 'paid' && item.reason !== undefined) {
      errors.push({ field: at('reason'), rule: 'notWithOutcome', message: `${at('reason')} is sent only with the outcome failed` });
    }
    if (item.outcome === 'failed' && item.transferReference !== undefined) {
      errors.push({ field: at('transferReference'), rule: 'notWithOutcome', message: `${at('transferReference')} is sent only with the outcome paid` });
    }
    if (seen.has(item.withdrawalId)) {
      errors.push({ field: at('withdrawalId'), rule: 'unique', message: `${at('withdrawalId')} names a withdrawal already reported in this report` });
    }
    seen.add(item.withdrawalId);
  });
  if (errors.length > 0) throw badRequest(errors);
}
