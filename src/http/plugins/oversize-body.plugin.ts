/**
 * Answers a body whose declared length is over the route's limit with a 413 the client can read.
 * Fastify refuses such a body before reading it and closes the connection, so a client still
 * writing its upload gets EPIPE or a reset instead of the answer. Reading and discarding a bounded
 * excess first lets the 413 arrive on a live connection; beyond the bound, or when the sender
 * stalls, Fastify's close stands, because draining without limit would hand abusers our bandwidth.
 */
import { errorCodes } from 'fastify';
import fp from 'fastify-plugin';
import type { Readable } from 'node:stream';

const MAX_DRAINED_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

/** Resolves true once the payload has ended, false when it errors or stalls past the timeout. */
function drain(payload: Readable): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ended: boolean): void => {
      clearTimeout(timer);
      payload.off('end', onEnd).off('error', onError);
      resolve(ended);
    };
    const onEnd = (): void => finish(true);
    const onError = (): void => finish(false);
    const timer = setTimeout(() => finish(false), DRAIN_TIMEOUT_MS);
    payload.on('end', onEnd).on('error', onError);
    payload.resume();
  });
}

export const oversizeBodyPlugin = fp(
  async (app) => {
    app.addHook('preParsing', async (request, reply, payload) => {
      const declared = Number(request.headers['content-length']);
      const limit = request.routeOptions.bodyLimit;
      if (!Number.isFinite(declared) || limit === undefined || declared <= limit || declared > MAX_DRAINED_BYTES) return payload;
      if (!(await drain(payload))) reply.header('connection', 'close');
      throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    });
  },
  { name: 'flowchat-oversize-body' },
);
