/** An API key as the REST API lists it: name and prefix, never the key or its hash. */
import type { ApiKey } from '../db/schema.js';
import { isoOrNull } from './iso-time.js';

export interface ApiKeyResource {
  id: string;
  name: string;
  prefix: string;
  created_by: string | null;
  last_used_at: string | null;
  created_at: string;
}

export function presentApiKey(apiKey: ApiKey): ApiKeyResource {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    created_by: apiKey.created_by,
    last_used_at: isoOrNull(apiKey.last_used_at),
    created_at: apiKey.created_at.toISOString(),
  };
}
