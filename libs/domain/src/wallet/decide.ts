import { conflict, unknownCommand } from '../shared/domain-error';
import { requireAccountStreamCommand } from '../shared/account-commands';
import type { WalletCommand } from './commands';
import { creditWallet } from './decide/credit';
import { expireBalances, noticeBalanceExpiry } from './decide/expiry';
import { requestWithdrawal } from './decide/request-withdrawal';
import { answerWithdrawalInfoRequest, reviewWithdrawal } from './decide/review';
import { markWithdrawalFailed, markWithdrawalPaid } from './decide/transfer-reports';
import { closeWallet, forfeitBalance } from './decide/way-out';
import { ruleOutFastCompletion } from './decide/fast-completion';
import { chooseWithdrawalMode, requestAutomaticWithdrawal } from './decide/automatic-withdrawal';
import type { WalletEvent } from './events';
import type { WalletState } from './state';
import { DEFAULT_WITHDRAWAL_FEE_POLICY, WithdrawalFeePolicy } from './withdrawal-fees';

export type WalletDecide = (command: WalletCommand, state: WalletState) => WalletEvent[];

/**
 * The wallet's decision under a withdrawal fee policy: the events that record a command's effect, or a
 * DomainError; an empty list means "already done". The policy is fixed per deployment, so it is bound
 * once here and every wallet decision keeps the shared `decide(command, state)` shape.
 */
export const decideWalletWith =
  (feePolicy: WithdrawalFeePolicy): WalletDecide =>
  (command, state) => {
    requireAccountStreamCommand(command);
    if (state.accountId !== null && state.accountId !== command.accountId) {
      throw conflict('WALLET_ACCOUNT_MISMATCH', `This wallet belongs to ${state.accountId}, not ${command.accountId}.`, {
        walletAccountId: state.accountId,
        accountId: command.accountId,
      });
    }
    switch (command.type) {
      case 'CreditWallet':
        return creditWallet(command, state);
      case 'RequestWithdrawal':
        return requestWithdrawal(command, state, feePolicy);
      case 'ApproveWithdrawal':
      case 'RejectWithdrawal':
      case 'RequestWithdrawalInfo':
        return reviewWithdrawal(command, state);
      case 'AnswerWithdrawalInfoRequest':
        return answerWithdrawalInfoRequest(command, state);
      case 'MarkWithdrawalPaid':
        return markWithdrawalPaid(command, state);
      case 'MarkWithdrawalFailed':
        return markWithdrawalFailed(command, state);
      case 'ExpireBalances':
        return expireBalances(command, state);
      case 'NoticeBalanceExpiry':
        return noticeBalanceExpiry(command, state);
      case 'ForfeitBalance':
        return forfeitBalance(command, state, feePolicy);
      case 'RuleOutFastCompletion':
        return ruleOutFastCompletion(command, state);
      case 'CloseWallet':
        return closeWallet(command, state);
      case 'ChooseWithdrawalMode':
        return chooseWithdrawalMode(command, state);
      case 'RequestAutomaticWithdrawal':
        return requestAutomaticWithdrawal(command, state, feePolicy);
      default:
        throw unknownCommand('wallet', command);
    }
  };

/** The wallet's decision under the default withdrawal fee policy. */
export const decideWallet: WalletDecide = decideWalletWith(DEFAULT_WITHDRAWAL_FEE_POLICY);
