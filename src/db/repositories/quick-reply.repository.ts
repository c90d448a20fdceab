/** Quick replies: saved snippets an agent inserts with "/shortcut". */
import type { ErrorCode } from '../../shared/errors.js';
import type { Selectable } from 'kysely';
import type { QuickRepliesTable } from '../schema.js';
import { BaseRepository } from './base.repository.js';

export type QuickReply = Selectable<QuickRepliesTable>;

export class QuickReplyRepository extends BaseRepository<QuickReply> {
  protected readonly table = 'quick_replies';
  protected readonly writableColumns = ['shortcut', 'text', 'created_by'] as const;
  protected readonly sortableColumns = ['created_at'] as const;
  protected override readonly notFoundCode: ErrorCode = 'not_found';

  async listAll(): Promise<QuickReply[]> {
    return this.db.selectFrom('quick_replies').selectAll().orderBy('shortcut').limit(1000).execute();
  }
}
