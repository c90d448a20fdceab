import { createContext, useContext } from 'react';
import type { Settings, User } from '../api/types.js';

export interface Session {
  readonly user: User;
  /** Null until known, or when the server does not expose its settings. */
  readonly channel: Settings['channel'] | null;
  readonly signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only screens behind sign in call this. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a signed-in SessionContext');
  return session;
}
