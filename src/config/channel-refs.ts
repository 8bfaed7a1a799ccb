/**
 * Parsing the channel references of the filters (`--channel`, `--in-channel`,
 * `--out-channel`): a decimal channel id or a BLOCKxTXxOUT short channel id,
 * else a peer alias. Digits with `x` or `:` separators that are neither (`123:1:0`,
 * `1x2`, `1x2x3x4`, out of range) are a usage error naming the option: they
 * were meant as a channel id, and as an alias they would match nothing.
 */
import { usageError } from '../errors.js';
import type { ChannelRefs } from '../events/filter.js';
import { parseChannelRef } from '../events/scid.js';
import { splitList } from './option-list.js';

const show = (s: string): string => JSON.stringify(s);

/** Digits with `x`/`:` separators: meant as a short channel id, never an alias. */
const LOOKS_LIKE_SCID = /^\d+(?:[xX:]\d*)*$/;
const WELL_FORMED = /^\d+$|^\d+[xX]\d+[xX]\d+$/;

function malformedChannel(option: string, text: string): Error {
  if (WELL_FORMED.test(text)) {
    return usageError(
      `${option} ${show(text)} is out of range for a channel id (uint64) or a short channel id BLOCKxTXxOUT (block < 2^24, tx < 2^24, output < 2^16); check the number`,
    );
  }
  const parts = text.split(/[xX:]/);
  const hint =
    parts.length === 3 && parts.every((p) => /^\d+$/.test(p))
      ? `write it ${parts.join('x')}`
      : 'a short channel id has three parts, BLOCKxTXxOUT (e.g. 830412x1903x1)';
  return usageError(
    `${option} ${show(text)} is not a channel id: ${hint}, or give the decimal channel id or a peer alias`,
  );
}

export function compileChannels(v: string | readonly string[] | undefined, option: string): ChannelRefs | null {
  const items = splitList(v, option);
  if (!items) return null;
  const ids = new Set<string>();
  const aliases: string[] = [];
  const aliasesAsGiven: string[] = [];
  for (const it of items) {
    const id = parseChannelRef(it);
    if (id !== undefined) {
      ids.add(id);
    } else if (LOOKS_LIKE_SCID.test(it)) {
      throw malformedChannel(option, it);
    } else {
      aliases.push(it.normalize('NFC').toLowerCase());
      aliasesAsGiven.push(it);
    }
  }
  return { ids, aliases, aliasesAsGiven };
}
