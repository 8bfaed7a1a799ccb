/**
 * Short channel ids: lnd's uint64 channel id is `block << 40 | tx_index << 16 | output_index`,
 * shown as `BLOCKxTXxOUT`. All arithmetic is on BigInt; ids arrive as decimal strings.
 */

const U64_MAX = (1n << 64n) - 1n;

/** `BLOCKxTXxOUT` for a decimal channel id (the id must be a valid uint64 decimal string). */
export function scidFromChannelId(id: string): string {
  const v = BigInt(id);
  const block = v >> 40n;
  const tx = (v >> 16n) & 0xffffffn;
  const out = v & 0xffffn;
  return `${block}x${tx}x${out}`;
}

/**
 * Parses a channel reference given by a user: a decimal channel id or a
 * `BLOCKxTXxOUT` short channel id. Returns the decimal channel id, or undefined
 * when the text is neither (it may then be an alias).
 */
export function parseChannelRef(text: string): string | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const v = BigInt(t);
    return v <= U64_MAX ? v.toString() : undefined;
  }
  const m = /^(\d+)[xX](\d+)[xX](\d+)$/.exec(t);
  if (!m) return undefined;
  const block = BigInt(m[1]!);
  const tx = BigInt(m[2]!);
  const out = BigInt(m[3]!);
  if (block > 0xffffffn || tx > 0xffffffn || out > 0xffffn) return undefined;
  return ((block << 40n) | (tx << 16n) | out).toString();
}
