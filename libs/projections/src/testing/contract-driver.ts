import { type ContractCommand, type ContractState, contractDecider, contractStreamId, contractView, type ContractView } from '@escrow/domain/contract';
import type { Actor } from '@escrow/domain/shared/actor';
import type { EventStore } from '@escrow/event-store/port';
import { anEvent } from './events';

type CommandBody<C> = C extends ContractCommand ? Omit<C, 'contractId' | 'actor' | 'at'> : never;

/**
 * Drives contracts through the real decider and appends what it decides to the store, so that read
 * models are tested on events of the real shape; keeps each contract's state to compare with.
 */
export class ContractDriver {
  private readonly states = new Map<string, ContractState>();
  private clock = Date.parse('2026-04-01T00:00:00.000Z');

  constructor(private readonly store: EventStore) {}

  /** Decides the command at the next hour and appends its events; resolves with the last position. */
  async run(contractId: string, actor: Actor, command: CommandBody<ContractCommand>): Promise<number> {
    this.clock += 3_600_000;
    const at = new Date(this.clock).toISOString();
    const state = this.states.get(contractId) ?? contractDecider.initialState();
    const full = { ...command, contractId, actor, at } as ContractCommand;
    const events = contractDecider.decide(full, state);
    this.states.set(contractId, events.reduce(contractDecider.evolve, state));
    const result = await this.store.append(
      contractStreamId(contractId),
      events.map((event) => anEvent(event.type, event.data as unknown as Record<string, unknown>, at)),
      'any',
    );
    return result.position;
  }

  view(contractId: string): ContractView {
    return contractView(this.states.get(contractId)!);
  }
}
