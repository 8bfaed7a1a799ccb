/**
 * The simulator's enum tables (lnd-sim's enums.ts: the numbers it writes, the
 * names REST shows and scenarios may use) are exactly lnd's: every value of
 * routerrpc.HtlcEvent.EventType, routerrpc.FailureDetail and
 * lnrpc.Failure.FailureCode in the protos the node serves, and nothing else.
 */
import { describe, expect, test } from '@jest/globals';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_DIR, PROTO_FILES } from '@htlc-tail/lnd-sim';
import {
  EVENT_TYPE_NUMBERS,
  eventTypeName,
  FAILURE_CODE_NUMBERS,
  FAILURE_DETAIL_NUMBERS,
  failureCodeName,
  failureDetailName,
} from '@htlc-tail/lnd-sim/internals';

const defs = loadSync([...PROTO_FILES], { keepCase: true, includeDirs: [PROTO_DIR] });

interface EnumValues {
  name: string;
  value: Array<{ name: string; number: number }>;
}

/** An enum's values: a top-level enum (`pkg.Enum`) or one nested in a message (`pkg.Message.Enum`). */
function protoEnum(fullName: string): Array<{ name: string; number: number }> {
  const top = defs[fullName] as unknown as { type: EnumValues } | undefined;
  if (top) return top.type.value;
  const [, message = '', name] = /^(.*)\.(\w+)$/.exec(fullName) ?? [];
  const nested = (defs[message] as unknown as { type: { enumType: EnumValues[] } }).type.enumType.find(
    (e) => e.name === name,
  );
  return nested!.value;
}

describe.each([
  ['routerrpc.HtlcEvent.EventType', EVENT_TYPE_NUMBERS, eventTypeName],
  ['routerrpc.FailureDetail', FAILURE_DETAIL_NUMBERS, failureDetailName],
  ['lnrpc.Failure.FailureCode', FAILURE_CODE_NUMBERS, failureCodeName],
] as const)('%s', (enumName, numbers, nameOf) => {
  const values = protoEnum(enumName);

  test('every value of the proto, by name and by number', () => {
    expect(values.length).toBeGreaterThan(3);
    for (const v of values) {
      expect([v.name, numbers.get(v.name)]).toEqual([v.name, v.number]);
      expect([v.number, nameOf(v.number)]).toEqual([v.number, v.name]);
    }
  });

  test('nothing the proto does not have', () => {
    expect(numbers.size).toBe(values.length);
    expect(nameOf(1000)).toBeUndefined();
    expect(nameOf(-1)).toBeUndefined();
  });
});
