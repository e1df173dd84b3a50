import type { NormalBalance } from '@escrow/projections/ledger/chart-of-accounts';
import {
  LEDGER_CHECK_NAMES,
  type LedgerCheckName,
  type LedgerCheckResult,
  type LedgerChecksReport,
  type LedgerViolation,
  MAX_VIOLATIONS_LISTED,
  VIOLATION_SUBJECT_KINDS,
  type ViolationSubjectKind,
} from '@escrow/projections/ledger/ledger-checks';
import type { AccountStatement, StatementLine, TrialBalance, TrialBalanceAccount } from '@escrow/projections/ledger/ledger.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { BooleanField, CountField, EnumField, EnumListField, InstantField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';

const NORMAL_BALANCES: readonly NormalBalance[] = ['debit', 'credit'];

export class StatementLineSchema implements StatementLine {
  @PositionField({ minimum: 1, description: 'Global position of the event posted: the list order' }) position!: number;
  @TextField() eventId!: string;
  @TextField() eventType!: string;
  @TextField() streamId!: string;
  @InstantField() occurredAt!: string;
  @InstantField() recordedAt!: string;
  @YenField() debit!: number;
  @YenField() credit!: number;
  @YenField({ signed: true, description: "The account's balance right after this posting, on its normal side" }) balance!: number;
}

/** A statement page: the postings, and the account's totals as of the statement's position. */
export class AccountStatementPageSchema
  extends ListPageSchema(StatementLineSchema)
  implements Omit<AccountStatement, 'postings' | 'nextAfter'>
{
  @TextField() account!: string;
  @EnumField(NORMAL_BALANCES) normalBalance!: NormalBalance;
  @PositionField({ description: 'Global position the statement is as of' }) position!: number;
  @YenField({ description: 'Total debits as of position' }) debits!: number;
  @YenField({ description: 'Total credits as of position' }) credits!: number;
  @YenField({ signed: true, description: 'Balance as of position, on the normal side' }) balance!: number;
  @YenField({ signed: true, description: 'Balance before the first posting of this page' }) openingBalance!: number;
  @TextField({ nullable: true, description: 'The asOf asked for, as given' }) asOf!: string | null;
}

export class TrialBalanceAccountSchema implements TrialBalanceAccount {
  @TextField({ description: 'A fixed account name, or escrow: / wallet: and an id' }) account!: string;
  @EnumField(NORMAL_BALANCES) normalBalance!: NormalBalance;
  @YenField() debits!: number;
  @YenField() credits!: number;
  @YenField({ signed: true, description: "On the account's normal side" }) balance!: number;
}

/** The trial balance: every account with its debits, credits and balance, as of a global position. */
export class TrialBalanceSchema implements TrialBalance {
  @PositionField({ description: 'Global position the balances are as of (every event up to it included)' }) position!: number;
  @YenField() totalDebits!: number;
  @YenField() totalCredits!: number;
  @BooleanField({
    description: 'Every ledger check passes (GET /v1/ledger/checks as of the same position): totalDebits equals totalCredits, and so do escrow, wallets and fee revenue by every path',
  })
  balanced!: boolean;
  @EnumListField(LEDGER_CHECK_NAMES, { description: 'The ledger checks that fail as of position (GET /v1/ledger/checks lists their violations); empty when balanced' })
  failedChecks!: LedgerCheckName[];
  @EnumListField(LEDGER_CHECK_NAMES, {
    description:
      'Checks not run as of position because a read model they compare with had not reached it (fee-revenue-reconciles while the fees read model is behind or failing); balanced does not vouch for them',
  })
  uncheckedChecks!: LedgerCheckName[];
  @NestedField(() => TrialBalanceAccountSchema, { list: true }) accounts!: TrialBalanceAccount[];
  @TextField({ nullable: true, description: 'The asOf asked for, as given' }) asOf!: string | null;
}

export class LedgerViolationSchema implements LedgerViolation {
  @EnumField(VIOLATION_SUBJECT_KINDS, { description: 'What the violation is about' }) subjectKind!: ViolationSubjectKind;
  @TextField({
    description: 'Its id: a global position (transaction), a ledger account (account), a contract id (contract), an account id (wallet), contractId/milestoneId (payout), or journal',
  })
  subject!: string;
  @PositionField({ nullable: true, description: 'Where it shows: the transaction, or the posting that took a balance lowest; null for a figure as of the report position' })
  position!: number | null;
  @YenField({ signed: true, description: 'The figure the check requires (for a non-negative check, the lower bound 0)' }) expected!: number;
  @YenField({ signed: true, description: 'The figure the books hold' }) actual!: number;
  @TextField({ description: 'The violation in words, with the figures behind it' }) detail!: string;
}

export class LedgerCheckSchema implements LedgerCheckResult {
  @EnumField(LEDGER_CHECK_NAMES) name!: LedgerCheckName;
  @TextField({ description: 'The invariant the check proves' }) description!: string;
  @BooleanField() passed!: boolean;
  @NestedField(() => LedgerViolationSchema, { list: true, description: `At most ${MAX_VIOLATIONS_LISTED}, in the order found` })
  violations!: LedgerViolation[];
  @CountField({ description: 'Every violation found, listed or not' }) violationCount!: number;
}

/** Every ledger check as of a global position, with its violations. */
export class LedgerChecksSchema implements LedgerChecksReport {
  @PositionField({ description: 'Global position the checks are as of (every event up to it included)' }) position!: number;
  @BooleanField({ description: 'Every check passed' }) passed!: boolean;
  @NestedField(() => LedgerCheckSchema, { list: true, description: 'Every check, always in the same order' }) checks!: LedgerCheckResult[];
  @TextField({ nullable: true, description: 'The asOf asked for, as given' }) asOf!: string | null;
}
