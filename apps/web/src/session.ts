import { createContext, useContext } from 'react';
import { Me } from './api';
import { may } from './lib/scopes';

export interface Session { me: Me; may: (scope: string) => boolean }

export const SessionContext = createContext<Session | null>(null);

export function sessionOf(me: Me): Session {
  return { me, may: (scope) => may(me.scopes, scope) };
}

export function useSession(): Session {
  return useContext(SessionContext)!;
}
