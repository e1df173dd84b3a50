import type { NormalBalance } from '@escrow/projections/ledger/chart-of-accounts';
import type { AccountStatement, StatementLine, TrialBalance, TrialBalanceAccount } from '@escrow/projections/ledger/ledger.queries';
import { ListPageSchema } from '../http/openapi/operation-responses';
import { BooleanField, EnumField, InstantField, NestedField, PositionField, TextField, YenField } from '../http/openapi/response-fields';

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
  @BooleanField({ description: 'totalDebits equals totalCredits' }) balanced!: boolean;
  @NestedField(() => TrialBalanceAccountSchema, { list: true }) accounts!: TrialBalanceAccount[];
  @TextField({ nullable: true, description: 'The asOf asked for, as given' }) asOf!: string | null;
}
