export type ActorRole = 'user' | 'support' | 'system';

export interface Actor {
  id: string;
  role: ActorRole;
}
