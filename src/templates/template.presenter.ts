/** A catalogue template as the REST API, the event stream and outbound webhooks show it. */
import type { JsonObject, JsonValue, MessageTemplate } from '../db/schema.js';
import type { TemplateParameter } from './template-parameters.js';

export interface TemplateResource {
  id: string;
  business_account_id: string;
  name: string;
  language: string;
  category: string | null;
  status: string;
  components: JsonValue[];
  parameters: TemplateParameter[];
  rejected_reason?: string;
  updated_at: string;
}

export function presentTemplate(template: MessageTemplate): TemplateResource {
  return {
    id: template.id,
    business_account_id: template.business_account_id,
    name: template.name,
    language: template.language,
    category: template.category,
    status: template.status,
    components: template.components,
    // Written by deriveParameters only.
    parameters: template.parameters as unknown as TemplateParameter[],
    ...(template.rejected_reason ? { rejected_reason: template.rejected_reason } : {}),
    updated_at: template.updated_at.toISOString(),
  };
}

/** The resource as event data. */
export function templateEventData(template: MessageTemplate): JsonObject {
  return JSON.parse(JSON.stringify(presentTemplate(template))) as JsonObject;
}
