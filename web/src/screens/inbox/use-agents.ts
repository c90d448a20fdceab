import { useEffect, useState } from 'react';
import { listTeam } from '../../api/conversations.js';
import type { TeamMember } from '../../api/types.js';
import { awaitInEffect } from '../../lib/await-in-effect.js';
import { useSession } from '../../session/session-context.js';

let cached: Promise<readonly TeamMember[]> | null = null;

/** Who a conversation can be assigned to: the whole team, fetched once (the signed-in user until then). */
export function useAgents(): readonly TeamMember[] {
  const { user } = useSession();
  const [agents, setAgents] = useState<readonly TeamMember[]>([user]);
  useEffect(() => {
    // A failed fetch is forgotten, so the next screen that needs the team asks again.
    cached ??= listTeam().catch((reason: unknown) => {
      cached = null;
      throw reason;
    });
    return awaitInEffect(cached, setAgents, () => undefined);
  }, [user]);
  return agents;
}
