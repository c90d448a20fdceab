#!/usr/bin/env node
// FlowChat runs its TypeScript sources directly through tsx: no build step between a change and a start.
import { setFlagsFromString } from 'node:v8';

// Before anything else is loaded. V8 sizes its heap for speed, not for a small self-hosted box:
// under a burst of webhooks the server's resident memory reached about 275 MB (npm run bench).
// Young-generation semi-spaces capped at 4 MB (not 16), and the old generation allowed to grow
// 30 % past what survived the last full collection (not about double), keep it near 175 MB for
// about 3 % less throughput; live data is never capped, so a big job cannot run out of heap.
setFlagsFromString('--max-semi-space-size=4');
setFlagsFromString('--heap-growing-percent=30');
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
