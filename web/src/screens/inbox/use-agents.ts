import { useEffect, useState } from 'react';
import { listTeam } from '../../api/conversations.js';
import type { TeamMember } from '../../api/types.js';
import { useSession } from '../../session/session-context.js';

let cached: Promise<readonly TeamMember[]> | null = null;

/** Who a conversation can be assigned to: the whole team, fetched once (the signed-in user until then). */
export function useAgents(): readonly TeamMember[] {
  const { user } = useSession();
  const [agents, setAgents] = useState<readonly TeamMember[]>([user]);
  useEffect(() => {
    cached ??= listTeam();
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
