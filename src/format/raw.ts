/**
 * `--format raw`: per event, the JSON value lnd's REST gateway puts under
 * "result" for the same HtlcEvent (codec/raw/encode.ts). Gap markers are
 * written as the same gap line as jsonl ({"event":"gap",...}); `replay`
 * recognizes them.
 */
import { encodeRawEvent } from '../codec/raw/encode.js';
import type { OutputItem } from '../events/model.js';
import type { FormatContext } from './types.js';
import { gapJson } from './pieces/gap-json.js';

export function formatRaw(item: OutputItem, _ctx?: FormatContext): string {
  return item.event === 'gap' ? gapJson(item) : encodeRawEvent(item);
}
