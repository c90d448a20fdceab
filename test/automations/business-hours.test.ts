import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOutsideBusinessHours, type BusinessHours } from '../../src/automations/business-hours.js';
import { matchesKeywords } from '../../src/automations/keyword-match.js';

describe('Business hours', () => {
  const saoPaulo: BusinessHours = { timezone: 'America/Sao_Paulo', week: { mon: [['09:00', '18:00']], sat: [['10:00', '24:00']] }, closed_dates: ['2026-12-07'] };

  it('reads the clock in the team’s time zone', () => {
    // Monday 2026-11-30, 11:59 UTC is 08:59 in São Paulo (UTC-3): not yet open; 12:00 UTC is 09:00.
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-11-30T11:59:00Z')), true);
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-11-30T12:00:00Z')), false);
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-11-30T20:59:00Z')), false);
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-11-30T21:00:00Z')), true);
    // Saturday until midnight local time, which is Sunday 03:00 UTC; Tuesday has no hours at all.
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-12-06T02:59:00Z')), false);
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-12-01T15:00:00Z')), true);
  });

  it('keeps closed dates closed all day, in local time', () => {
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-12-07T15:00:00Z')), true);
    assert.equal(isOutsideBusinessHours(saoPaulo, new Date('2026-12-14T15:00:00Z')), false);
  });
});

describe('Keyword matching', () => {
  it('ignores case, accents, punctuation and spacing; contains means whole words', () => {
    assert.equal(matchesKeywords('Quero saber o PREÇO, por favor', ['preco'], 'contains'), true);
    assert.equal(matchesKeywords('Quanto custa a entrega expressa?', ['entrega expressa'], 'contains'), true);
    assert.equal(matchesKeywords('preçario', ['preço'], 'contains'), false);
    assert.equal(matchesKeywords(' Olá! ', ['ola'], 'exact'), true);
    assert.equal(matchesKeywords('olá amigo', ['ola'], 'exact'), false);
    assert.equal(matchesKeywords('', ['ola'], 'contains'), false);
  });
});
