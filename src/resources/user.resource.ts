/** A user as the REST API shows it: never with a password hash. */
import type { PublicUser } from '../db/repositories/user.repository.js';
import type { UserRole } from '../db/schema.js';

export interface UserResource {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  available: boolean;
  created_at: string;
  updated_at: string;
}

export function presentUser(user: PublicUser): UserResource {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    available: user.available,
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
  };
}
