import type { Actor } from './actor';
import { requireAccountOwner, requireOwnerOrSupport, requireRole } from './account-actor-guards';

const OWNER: Actor = { id: 'acc-1', role: 'user' };
const OTHER_USER: Actor = { id: 'acc-2', role: 'user' };
const SUPPORT: Actor = { id: 'support-1', role: 'support' };
const PLATFORM: Actor = { id: 'settlement-job', role: 'system' };
const AUDITOR: Actor = { id: 'audit-1', role: 'auditor' };

const ACTOR_NOT_ALLOWED = expect.objectContaining({ kind: 'forbidden', code: 'ACTOR_NOT_ALLOWED' });

describe('who may act on an account’s own streams', () => {
  it('a role rule admits that role alone', () => {
    expect(() => requireRole(PLATFORM, 'system', 'credit a wallet')).not.toThrow();
    for (const actor of [OWNER, SUPPORT, AUDITOR]) expect(() => requireRole(actor, 'system', 'credit a wallet')).toThrow(ACTOR_NOT_ALLOWED);
    expect(() => requireRole(OWNER, 'system', 'credit a wallet')).toThrow('Only the platform may credit a wallet.');
  });

  it('an owner rule admits the user whose account it is, and no one else', () => {
    expect(() => requireAccountOwner(OWNER, 'acc-1', 'withdraw')).not.toThrow();
    for (const actor of [OTHER_USER, SUPPORT, PLATFORM, { id: 'acc-1', role: 'support' } as Actor]) {
      expect(() => requireAccountOwner(actor, 'acc-1', 'withdraw')).toThrow(ACTOR_NOT_ALLOWED);
    }
  });

  it('an owner-or-support rule admits the owner and support, and no one else', () => {
    expect(() => requireOwnerOrSupport(OWNER, 'acc-1', 'close an account')).not.toThrow();
    expect(() => requireOwnerOrSupport(SUPPORT, 'acc-1', 'close an account')).not.toThrow();
    for (const actor of [OTHER_USER, PLATFORM, AUDITOR])
      expect(() => requireOwnerOrSupport(actor, 'acc-1', 'close an account')).toThrow(ACTOR_NOT_ALLOWED);
  });
});
