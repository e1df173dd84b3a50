import type { Actor } from '../../shared/actor';
import { deciderSpec } from '../../testing/given-when-then';
import type { ContractCommand, MilestoneTerms } from '../commands';
import type { ContractAccepted, ContractEvent, ContractOffered, EscrowFunded, MilestoneDelivered, MilestoneInspected } from '../events';
import { contractDecider } from '../index';

/**
 * Shared scenario for the contract specs: a client offers three milestones whose ex-tax amounts give
 * grosses of ¥50,000 / ¥30,000 / ¥50,000 at 10% (45,455 + 4,545; 27,273 + 2,727).
 * Expected events are written out by hand, never derived from the decider under test.
 */
export const given = deciderSpec(contractDecider).given;

export const CONTRACT_ID = 'contract-001';
export const CLIENT: Actor = { id: 'client-1', role: 'user' };
export const WORKER: Actor = { id: 'worker-1', role: 'user' };
export const STRANGER: Actor = { id: 'someone-else', role: 'user' };
export const SUPPORT: Actor = { id: 'support-1', role: 'support' };
export const SYSTEM: Actor = { id: 'settlement-job', role: 'system' };

/** 2025-04-01 09:00 in Japan. */
export const OFFERED_AT = '2025-04-01T00:00:00Z';
export const ACCEPTED_AT = '2025-04-02T00:00:00Z';
export const LATER = '2025-04-10T00:00:00Z';

export const MILESTONES: MilestoneTerms[] = [
  { milestoneId: 'm1', title: 'Wireframes', amount: 45_455, dueDate: '2025-05-01' },
  { milestoneId: 'm2', title: 'Visual design', amount: 27_273, dueDate: '2025-06-01' },
  { milestoneId: 'm3', title: 'Implementation', amount: 45_455, dueDate: '2025-07-01' },
];
export const GROSS: Record<string, number> = { m1: 50_000, m2: 30_000, m3: 50_000 };

export const offered: ContractOffered = {
  type: 'ContractOffered',
  data: {
    contractId: CONTRACT_ID,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Corporate website',
    milestones: MILESTONES,
    feeScheduleId: null,
    offeredAt: OFFERED_AT,
  },
};

export const accepted: ContractAccepted = {
  type: 'ContractAccepted',
  data: {
    contractId: CONTRACT_ID,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    title: 'Corporate website',
    feeScheduleId: 'crowdworks-2019-10',
    taxRate: '0.10',
    milestones: MILESTONES.map((terms) => ({ ...terms, gross: GROSS[terms.milestoneId] })),
    totalGross: 130_000,
    acceptedAt: ACCEPTED_AT,
  },
};

export const funded = (milestoneId: string, amount = GROSS[milestoneId], escrowAfter = amount): EscrowFunded => ({
  type: 'EscrowFunded',
  data: {
    contractId: CONTRACT_ID,
    milestoneId,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    amount,
    paymentReference: `pay-${milestoneId}-${escrowAfter}`,
    method: 'card',
    escrowAfter,
  },
});

export const delivered = (milestoneId: string, deliveredAt = LATER, deliveryNumber = 1): MilestoneDelivered => ({
  type: 'MilestoneDelivered',
  data: {
    contractId: CONTRACT_ID,
    milestoneId,
    clientId: CLIENT.id,
    workerId: WORKER.id,
    deliverables: [{ uri: `https://files.example.com/${milestoneId}.zip` }],
    deliveryNumber,
    deliveredAt,
  },
});

export const inspected = (milestoneId: string): MilestoneInspected => ({
  type: 'MilestoneInspected',
  data: { contractId: CONTRACT_ID, milestoneId, clientId: CLIENT.id, workerId: WORKER.id, inspectedBy: 'client' },
});

/** Events that take a milestone from unfunded to inspected. */
export const readyForPayout = (milestoneId: string): ContractEvent[] => [
  funded(milestoneId),
  delivered(milestoneId),
  inspected(milestoneId),
];

export const activeContract: ContractEvent[] = [offered, accepted];

type CommandOf<Type extends ContractCommand['type']> = Extract<ContractCommand, { type: Type }>;
type CommandFields<Type extends ContractCommand['type']> = Omit<CommandOf<Type>, 'type' | 'contractId' | 'actor' | 'at'> &
  Partial<Pick<CommandOf<Type>, 'contractId' | 'actor' | 'at'>>;

const DEFAULT_ACTORS: Record<ContractCommand['type'], Actor> = {
  OfferContract: CLIENT,
  AmendOffer: CLIENT,
  WithdrawOffer: CLIENT,
  DeclineOffer: WORKER,
  AcceptOffer: WORKER,
  FundMilestone: CLIENT,
  DeliverMilestone: WORKER,
  RequestRevision: CLIENT,
  InspectMilestone: CLIENT,
  SupportInspectMilestone: SUPPORT,
  AutoInspectMilestone: SYSTEM,
  PayOutMilestone: SYSTEM,
  RefundMilestone: SUPPORT,
  ProposeTermsChange: CLIENT,
  AcceptTermsChange: WORKER,
  RejectTermsChange: WORKER,
  RequestTermination: CLIENT,
  AcceptTermination: WORKER,
  RejectTermination: WORKER,
  CompleteUnansweredTermination: SYSTEM,
  SupportTerminate: SUPPORT,
  RequestContactReminder: CLIENT,
  ApproveContactReminder: SUPPORT,
  DenyContactReminder: SUPPORT,
};

/** A command with the scenario's contract id, its usual actor and time, overridable per field. */
export const command = <Type extends ContractCommand['type']>(type: Type, fields: CommandFields<Type>): CommandOf<Type> =>
  ({ type, contractId: CONTRACT_ID, actor: DEFAULT_ACTORS[type], at: LATER, ...fields }) as unknown as CommandOf<Type>;
