/** One Server-Sent Event as the stream spells it. */
export interface ServerEvent {
  readonly id: string | null;
  readonly type: string;
  readonly data: string;
}

/**
 * Incremental parser for the `text/event-stream` format: feed it chunks of text as they arrive,
 * it hands back each complete event. Comment lines (the server's heartbeats) are skipped.
 */
export class SseParser {
  private buffer = '';
  private id: string | null = null;
  private type = '';
  private data: string[] = [];

  push(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const events: ServerEvent[] = [];
    let newline = this.nextLineEnd();
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      const skip = this.buffer[newline] === '\r' && this.buffer[newline + 1] === '\n' ? 2 : 1;
      this.buffer = this.buffer.slice(newline + skip);
      const event = this.readLine(line);
      if (event) events.push(event);
      newline = this.nextLineEnd();
    }
    return events;
  }

  private nextLineEnd(): number {
    const lf = this.buffer.indexOf('\n');
    const cr = this.buffer.indexOf('\r');
    if (cr === -1) return lf;
    if (lf === -1) return cr === this.buffer.length - 1 ? -1 : cr;
    return Math.min(cr, lf);
  }

  private readLine(line: string): ServerEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') this.id = value;
    else if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    return null;
  }

  private dispatch(): ServerEvent | null {
    const event = this.data.length > 0 ? { id: this.id, type: this.type || 'message', data: this.data.join('\n') } : null;
    this.type = '';
    this.data = [];
    return event;
  }
}
