/**
 * Who acts. `user`: a marketplace member (client or worker), acting through a platform service;
 * `support`: the marketplace's staff (事務局); `system`: the platform itself (settlement, payments gateway,
 * verification); `auditor`: finance, which reads everything and acts on nothing.
 */
export const ACTOR_ROLES = ['user', 'support', 'system', 'auditor'] as const;

export type ActorRole = (typeof ACTOR_ROLES)[number];

export interface Actor {
  id: string;
  role: ActorRole;
}
