/**
 * The gap marker as one JSON line, used by jsonl and raw alike:
 * {"event":"gap","from":"<RFC 3339 UTC, ms>","to":"...","reason":"..."}
 * A time that cannot be represented is written as null. With several nodes
 * the node's name follows: ...,"reason":"...","node":"umbrel"}
 */
import type { GapMarker } from '../../events/model.js';
import { rfc3339FromMs } from './rfc3339-ms.js';
import { jsonString } from '../../codec/json/json-string.js';

function time(ms: number): string {
  const t = rfc3339FromMs(ms);
  return t === null ? 'null' : '"' + t + '"';
}

export function gapJson(gap: GapMarker): string {
  const node = gap.node === undefined ? '' : ',"node":' + jsonString(gap.node);
  return (
    '{"event":"gap","from":' +
    time(gap.fromMs) +
    ',"to":' +
    time(gap.toMs) +
    ',"reason":' +
    jsonString(gap.reason) +
    node +
    '}'
  );
}
