import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import {
  ACCOUNT_NUMBER_PATTERN,
  BANK_CODE_PATTERN,
  BRANCH_CODE_PATTERN,
  ID_PATTERN,
  MAX_DELIVERABLES,
  MAX_FEE_SCHEDULE_ID_LENGTH,
  MAX_GATEWAY_REFERENCE_LENGTH,
  MAX_GROSS_AMOUNT,
  MAX_HOLDER_NAME_LENGTH,
  MAX_INSTANT_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_MILESTONE_AMOUNT,
  MAX_MILESTONES,
  MAX_REASON_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URI_LENGTH,
  MAX_WITHDRAWAL_AMOUNT,
  MIN_MILESTONES,
  SHA256_PATTERN,
} from '@escrow/domain/shared/limits';
import * as accountDtos from '../accounts/account.dto';
import * as contractDtos from '../contracts/contract.dto';
import * as walletDtos from '../wallets/wallet.dto';
import * as withdrawalDtos from '../withdrawals/withdrawal.dto';

/**
 * Every bound a request body states comes from the domain's limits: the request validation
 * (class-validator) and the OpenAPI document (@nestjs/swagger) of each field are read back from their
 * metadata and compared with the domain constant. A new bounded field, or a bound written as a bare
 * number that drifts from the domain, fails here.
 */
interface Bounds {
  maxLength?: number;
  arrayMaxSize?: number;
  arrayMinSize?: number;
  max?: number;
  min?: number;
  matches?: RegExp;
}

const reason = { maxLength: MAX_REASON_LENGTH };
const id = { matches: ID_PATTERN };
const milestoneList = { arrayMinSize: MIN_MILESTONES, arrayMaxSize: MAX_MILESTONES };

const EXPECTED: Record<string, Record<string, Bounds>> = {
  MilestoneTermsDto: { title: { maxLength: MAX_TITLE_LENGTH }, amount: { min: 1, max: MAX_MILESTONE_AMOUNT } },
  OfferContractDto: {
    clientId: id,
    workerId: id,
    title: { maxLength: MAX_TITLE_LENGTH },
    milestones: milestoneList,
    feeSchedule: { maxLength: MAX_FEE_SCHEDULE_ID_LENGTH },
  },
  AmendOfferDto: { title: { maxLength: MAX_TITLE_LENGTH }, milestones: milestoneList, feeSchedule: { maxLength: MAX_FEE_SCHEDULE_ID_LENGTH } },
  OptionalReasonDto: { reason },
  ReasonDto: { reason },
  EmptyDto: {},
  PrepayDto: { paymentReference: { maxLength: MAX_GATEWAY_REFERENCE_LENGTH }, amount: { min: 1, max: MAX_GROSS_AMOUNT } },
  DeliverableDto: { uri: { maxLength: MAX_URI_LENGTH }, sha256: { matches: SHA256_PATTERN } },
  DeliverDto: { deliverables: { arrayMaxSize: MAX_DELIVERABLES }, message: { maxLength: MAX_MESSAGE_LENGTH } },
  RefundDto: { amount: { min: 1, max: MAX_GROSS_AMOUNT }, reason },
  MilestoneChangeDto: { milestoneId: id, amount: { min: 1, max: MAX_MILESTONE_AMOUNT } },
  ProposeTermsChangeDto: {
    changes: { arrayMaxSize: MAX_MILESTONES },
    // A change of terms adds milestones to a contract that has at least one.
    newMilestones: { arrayMaxSize: MAX_MILESTONES - MIN_MILESTONES },
    reason,
  },
  TerminationSplitDto: { milestoneId: id, payOutGross: { min: 0, max: MAX_GROSS_AMOUNT } },
  TerminationDto: { reason, splits: { arrayMaxSize: MAX_MILESTONES } },
  ContactReminderDto: { message: { maxLength: MAX_MESSAGE_LENGTH } },
  InspectDto: { reason },
  RegisterBankAccountDto: {
    bankCode: { matches: BANK_CODE_PATTERN },
    branchCode: { matches: BRANCH_CODE_PATTERN },
    accountNumber: { matches: ACCOUNT_NUMBER_PATTERN },
    holderName: { maxLength: MAX_HOLDER_NAME_LENGTH },
  },
  IdentityVerificationDto: {},
  CloseAccountDto: { reason },
  ExpireBalancesDto: { asOf: { maxLength: MAX_INSTANT_LENGTH } },
  ForfeitBalanceDto: { reason },
  ChooseWithdrawalModeDto: {},
  RequestAutomaticWithdrawalDto: {},
  RequestWithdrawalDto: { amount: { max: MAX_WITHDRAWAL_AMOUNT }, bankAccountId: id },
  ReviewReasonDto: { reason },
  InfoAnswerDto: { answer: reason },
  TransferPaidDto: { transferReference: { maxLength: MAX_GATEWAY_REFERENCE_LENGTH } },
  TransferFailedDto: { reason },
};

type DtoClass = new () => object;

const DTO_CLASSES: DtoClass[] = [accountDtos, contractDtos, walletDtos, withdrawalDtos].flatMap((module) =>
  Object.values(module).filter((value): value is DtoClass => typeof value === 'function' && value.name.endsWith('Dto')),
);

const BOUND_RULES = ['maxLength', 'arrayMaxSize', 'arrayMinSize', 'max', 'min', 'matches'] as const;
type BoundRule = (typeof BOUND_RULES)[number];
const isBoundRule = (name: string | undefined): name is BoundRule => (BOUND_RULES as readonly (string | undefined)[]).includes(name);

/** The OpenAPI keyword each class-validator bound shows up as. */
const OPENAPI_KEYWORD: Record<BoundRule, string> = {
  maxLength: 'maxLength',
  arrayMaxSize: 'maxItems',
  arrayMinSize: 'minItems',
  max: 'maximum',
  min: 'minimum',
  matches: 'pattern',
};

/** The bounds class-validator enforces on each field of a DTO, as `{field: {rule: value}}`. */
function validationBoundsOf(dto: DtoClass): Record<string, Bounds> {
  const bounds: Record<string, Record<string, unknown>> = {};
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    if (!isBoundRule(metadata.name)) continue;
    const [value] = metadata.constraints as unknown[];
    (bounds[metadata.propertyName] ??= {})[metadata.name] = value;
  }
  return bounds as Record<string, Bounds>;
}

/** Swagger keeps each property's @ApiProperty options under this metadata key of the prototype. */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const openApiOptionsOf = (dto: DtoClass, field: string): Record<string, unknown> =>
  (Reflect.getMetadata(API_MODEL_PROPERTIES, dto.prototype, field) as Record<string, unknown> | undefined) ?? {};

const comparable = (bounds: Bounds) =>
  Object.fromEntries(Object.entries(bounds).map(([rule, value]) => [rule, value instanceof RegExp ? `/${value.source}/${value.flags}` : value]));

describe('request limits agree with the domain', () => {
  it('lists every request DTO', () => {
    expect(DTO_CLASSES.map((dto) => dto.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s validates each bounded field with the domain constant, and no other bound', (name) => {
    const dto = DTO_CLASSES.find((candidate) => candidate.name === name)!;
    const actual = Object.fromEntries(Object.entries(validationBoundsOf(dto)).map(([field, bounds]) => [field, comparable(bounds)]));
    const expected = Object.fromEntries(Object.entries(EXPECTED[name]).map(([field, bounds]) => [field, comparable(bounds)]));
    expect(actual).toEqual(expected);
  });

  it.each(Object.keys(EXPECTED))('%s states the same bounds in the OpenAPI document', (name) => {
    const dto = DTO_CLASSES.find((candidate) => candidate.name === name)!;
    for (const [field, bounds] of Object.entries(EXPECTED[name])) {
      const documented = openApiOptionsOf(dto, field);
      for (const [rule, value] of Object.entries(bounds) as [BoundRule, number | RegExp][]) {
        const keyword = OPENAPI_KEYWORD[rule];
        expect({ field, [keyword]: documented[keyword] }).toEqual({ field, [keyword]: value instanceof RegExp ? value.source : value });
      }
    }
  });
});
