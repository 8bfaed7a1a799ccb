/**
 * The `events_raw` view (schema version 3): every stored event as the JSON
 * value `-f raw` prints for it (lnd's REST encoding of the HtlcEvent), built
 * in SQL, so an operator can select events with any SQL and feed them to
 * htlc-tail's formats and filters:
 *
 *   sqlite3 history.sqlite "SELECT raw FROM events_raw WHERE …" | htlc-tail replay -f pretty
 *
 * Columns: `id`, `node`, `timestamp_ns`, `kind` (for WHERE, from the events
 * table and its indexes) and `raw`. uint64 values are printed unsigned
 * (`printf('%llu')` undoes the two's-complement storage, see u64.ts), enums
 * by lnd's name from `enum_names` (the number when unknown), a preimage in
 * standard base64 (SQLite has no base64 function: the expression below is
 * generated for lnd's 32-byte preimages; one of another length shows as
 * NULL). The JSON is SQLite's: the same value as htlc-tail's line, and the
 * same bytes except where lnd's failure text holds U+2028, U+2029 or U+0085,
 * which htlc-tail escapes and SQLite does not.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PREIMAGE_BYTES = 32;

/** Byte i (0-based) of the blob column `col`, as an SQL integer expression. */
function byteAt(col: string, i: number): string {
  const digit = (k: number) => `(instr('0123456789ABCDEF', substr(hex(${col}), ${k}, 1)) - 1)`;
  return `(${digit(2 * i + 1)} * 16 + ${digit(2 * i + 2)})`;
}

const b64Char = (sextet: string) => `substr('${B64}', (${sextet}) + 1, 1)`;

/** Standard base64 (with padding) of a blob of exactly `n` bytes, as an SQL text expression. */
export function base64Sql(col: string, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i += 3) {
    const left = n - i;
    const b0 = byteAt(col, i);
    const b1 = left > 1 ? byteAt(col, i + 1) : '0';
    const b2 = left > 2 ? byteAt(col, i + 2) : '0';
    const v = `(${b0} * 65536 + ${b1} * 256 + ${b2})`;
    parts.push(b64Char(`${v} >> 18`), b64Char(`(${v} >> 12) & 63`));
    parts.push(left > 1 ? b64Char(`(${v} >> 6) & 63`) : `'='`);
    parts.push(left > 2 ? b64Char(`${v} & 63`) : `'='`);
  }
  return parts.join(' || ');
}

const u64 = (col: string) => `printf('%llu', ${col})`;
const enumName = (kind: string, col: string) =>
  `coalesce((SELECT name FROM enum_names WHERE enum = '${kind}' AND code = ${col}), ${col})`;

const INFO = `CASE WHEN incoming_amt_msat IS NULL THEN NULL ELSE json_object(
    'incoming_timelock', coalesce(incoming_timelock, 0), 'outgoing_timelock', coalesce(outgoing_timelock, 0),
    'incoming_amt_msat', ${u64('incoming_amt_msat')}, 'outgoing_amt_msat', ${u64('outgoing_amt_msat')}) END`;

const HEAD = `'incoming_channel_id', ${u64('incoming_channel_id')}, 'outgoing_channel_id', ${u64('outgoing_channel_id')},
  'incoming_htlc_id', ${u64('incoming_htlc_id')}, 'outgoing_htlc_id', ${u64('outgoing_htlc_id')},
  'timestamp_ns', ${u64('timestamp_ns')}, 'event_type', ${enumName('event_type', 'event_type')}`;

const PREIMAGE = `CASE WHEN preimage IS NULL OR length(preimage) = 0 THEN '' WHEN length(preimage) = ${PREIMAGE_BYTES} THEN ${base64Sql('preimage', PREIMAGE_BYTES)} END`;

/** The view's CREATE statement. */
export const EVENTS_RAW_VIEW = `CREATE VIEW events_raw AS SELECT id, node, timestamp_ns, kind, CASE kind
  WHEN 'forward' THEN json_object(${HEAD}, 'forward_event', json_object('info', ${INFO}))
  WHEN 'forward_fail' THEN json_object(${HEAD}, 'forward_fail_event', json_object())
  WHEN 'settle' THEN json_object(${HEAD}, 'settle_event', json_object('preimage', ${PREIMAGE}))
  WHEN 'link_fail' THEN json_object(${HEAD}, 'link_fail_event', json_object('info', ${INFO},
    'wire_failure', ${enumName('wire_failure', 'coalesce(wire_failure, 0)')}, 'failure_detail', ${enumName('failure_detail', 'coalesce(failure_detail, 0)')},
    'failure_string', coalesce(failure_string, '')))
  WHEN 'final_htlc' THEN json_object(${HEAD}, 'final_htlc_event', json_object('settled', json(CASE WHEN settled = 1 THEN 'true' ELSE 'false' END),
    'offchain', json(CASE WHEN offchain = 1 THEN 'true' ELSE 'false' END)))
  WHEN 'subscribed' THEN json_object(${HEAD}, 'subscribed_event', json_object())
  ELSE json_object(${HEAD}) END AS raw
FROM events`;
