import { describe, test, expect } from '@jest/globals';
import { FAILURE_CODE_NAMES, FAILURE_DETAIL_NAMES } from '../../src/events/enums.js';
import {
  explainFailureCode,
  explainFailureDetail,
  explainForwardFail,
  explainLinkFail,
} from '../../src/format/explain.js';

describe('explanations exist for every known value', () => {
  test.each(FAILURE_DETAIL_NAMES.map((name, n) => [name, n] as const))('FailureDetail %s', (_name, n) => {
    const t = explainFailureDetail(n);
    expect(typeof t).toBe('string');
    expect(t!.length).toBeGreaterThan(10);
  });
  test.each([...FAILURE_CODE_NAMES].map(([n, name]) => [name, n] as const))('FailureCode %s', (_name, n) => {
    const t = explainFailureCode(n);
    expect(typeof t).toBe('string');
    expect(t!.length).toBeGreaterThan(5);
  });
  test.each([99, -1, 28])('unknown FailureDetail %d → undefined', (n) =>
    expect(explainFailureDetail(n)).toBeUndefined(),
  );
  test.each([1234, -1, 26])('unknown FailureCode %d → undefined', (n) => expect(explainFailureCode(n)).toBeUndefined());
});

describe('explainLinkFail', () => {
  test.each([
    ['specific detail wins', 15, 6, 'not enough outbound liquidity on the outgoing channel'],
    [
      'NO_DETAIL: the wire code explains',
      12,
      1,
      "the fee offered is below this channel's fee policy (the sender may have an old channel update)",
    ],
    [
      'UNKNOWN detail: the wire code explains',
      18,
      0,
      'the next channel of the route is unknown here (closed, never existed, or a wrong short channel id)',
    ],
    [
      'unknown detail, known wire',
      15,
      99,
      'the outgoing channel cannot take the HTLC right now (most often: not enough liquidity) (failure detail 99 is unknown to this version of htlc-tail)',
    ],
    [
      'both unknown',
      1234,
      99,
      'failure code 1234 and failure detail 99 unknown to this version of htlc-tail (a newer lnd?)',
    ],
    ['unknown wire, no detail', 1234, 1, 'failure code 1234 unknown to this version of htlc-tail (a newer lnd?)'],
    ['negative detail', 0, -1, 'failure detail -1 unknown to this version of htlc-tail (a newer lnd?)'],
    ['nothing at all', 0, 0, 'failed at this node; lnd gave no reason'],
  ])('%s', (_name, wire, detail, want) => expect(explainLinkFail(wire, detail)).toBe(want));

  test('forward_fail', () => {
    expect(explainForwardFail(3)).toMatch(/further along the route/);
    expect(explainForwardFail(1)).toMatch(/payment attempt/);
  });
});
