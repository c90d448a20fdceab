/** The events FlowChat emits, on the live stream and to outbound webhooks. */
export const eventTypes = ['message.created', 'message.updated', 'contact.updated', 'campaign.updated', 'template.updated'] as const;
export type EventType = (typeof eventTypes)[number];
