import { useEffect, useState } from 'react';
import { listUsers } from '../../api/admin.js';
import type { User } from '../../api/types.js';
import { useSession } from '../../session/session-context.js';

let cached: Promise<readonly User[]> | null = null;

/**
 * Who a conversation can be assigned to. The users route is admin-only, so an agent can only
 * pick themselves (or nobody); an admin sees every user.
 */
export function useAgents(): readonly User[] {
  const { user } = useSession();
  const [agents, setAgents] = useState<readonly User[]>([user]);
  useEffect(() => {
    if (user.role !== 'admin') return;
    cached ??= listUsers();
    let stale = false;
    cached.then(
      (list) => {
        if (!stale) setAgents(list);
      },
      () => {
        cached = null;
      },
    );
    return () => {
      stale = true;
    };
  }, [user]);
  return agents;
}
