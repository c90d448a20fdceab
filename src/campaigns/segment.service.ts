/**
 * Saved segments, and previews of an audience (its size and first contacts) that create nothing.
 */
import type { Foundation } from '../foundation.js';
import { audienceFromJson, audienceToJson, normalizeAudience, type AudienceInput } from './audience.js';
import { SegmentRepository } from '../db/repositories/segment.repository.js';
import { presentSegment, type SegmentResource } from '../resources/campaign.resource.js';
import { presentContact, type ContactResource } from '../resources/contact.resource.js';
import { invalidField } from '../shared/errors.js';
import type { Principal } from '../auth/auth.service.js';

export interface PreviewInput {
  readonly audience?: AudienceInput;
  readonly segment_id?: string;
  readonly limit?: number;
}

function segmentName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidField('name', 'cannot be blank');
  return trimmed;
}

export class SegmentService {
  private readonly segments: SegmentRepository;

  constructor(ctx: Pick<Foundation, 'db'>) {
    this.segments = new SegmentRepository(ctx.db);
  }

  async list(): Promise<SegmentResource[]> {
    return (await this.segments.list()).map(presentSegment);
  }

  async get(id: string): Promise<SegmentResource> {
    return presentSegment(await this.segments.findByIdOrThrow(id));
  }

  async create(principal: Principal, input: { name: string; filter: AudienceInput }): Promise<SegmentResource> {
    const filter = audienceToJson(normalizeAudience(input.filter, 'filter'));
    return presentSegment(await this.segments.create({ name: segmentName(input.name), filter, created_by: principal.userId }));
  }

  async update(id: string, input: { name?: string; filter?: AudienceInput }): Promise<SegmentResource> {
    return presentSegment(
      await this.segments.update(id, {
        ...(input.name === undefined ? {} : { name: segmentName(input.name) }),
        ...(input.filter === undefined ? {} : { filter: audienceToJson(normalizeAudience(input.filter, 'filter')) }),
      }),
    );
  }

  async delete(id: string): Promise<void> {
    await this.segments.delete(id);
  }

  async preview(input: PreviewInput): Promise<{ count: number; items: ContactResource[] }> {
    let audience;
    if (input.segment_id !== undefined) {
      if (input.audience !== undefined) throw invalidField('audience', 'give either audience or segment_id, not both');
      audience = audienceFromJson((await this.segments.findByIdOrThrow(input.segment_id)).filter);
    } else {
      audience = normalizeAudience(input.audience ?? {});
    }
    const [count, sample] = await Promise.all([this.segments.countAudience(audience), this.segments.sampleAudience(audience, input.limit ?? 10)]);
    const now = Date.now();
    return { count, items: sample.map((contact) => presentContact(contact, now)) };
  }
}
