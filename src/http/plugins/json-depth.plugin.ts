/**
 * Refuses request bodies nested deeper than `MAX_JSON_DEPTH` with a 400, before validation: a
 * small hostile body nested thousands of levels deep would otherwise overflow the stack in a
 * later walk and answer 500. No FlowChat resource nests anywhere near this.
 */
import fp from 'fastify-plugin';
import { nestedDeeperThan } from '../../shared/json-depth.js';
import { invalidField } from '../../shared/errors.js';

const MAX_JSON_DEPTH = 32;

export const jsonDepthPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      if (nestedDeeperThan(request.body, MAX_JSON_DEPTH)) throw invalidField('body', `is nested more than ${MAX_JSON_DEPTH} levels deep`);
    });
  },
  { name: 'flowchat-json-depth' },
);
