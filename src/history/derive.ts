/**
 * The `htlcs` table is derived from `events` by one set-based statement over
 * a range of event ids. `meta.htlcs_derived_to` is the id up to which every
 * stored event is in `htlcs`; whoever derives goes on from there, in id
 * order, and moves it in the same transaction (Deriver below). When:
 * - the writer, in a batch's transaction, when the batch is small (a node's
 *   normal pace): `htlcs` is current within a commit. A large batch (a burst
 *   the recorder must keep up with) leaves it for later: the derivation then
 *   catches up in steps after the burst, and at the writer's close;
 * - the report, before it reads (htlcs-current.ts), when anything is left;
 * - the version-2 migration, for every stored row.
 *
 * One row per HTLC, keyed by node, event_type and the HTLC's own side: the
 * incoming (channel, htlc id) of a FORWARD or RECEIVE, the outgoing one of a
 * SEND. Every column is merged so that the result does not depend on the
 * order in which events arrive (two recorders, a late event): times are the
 * earliest seen, amounts and failure codes the first known. The outcome
 * (a generated column) follows SPEC "Report": a settle makes it `settled`, else
 * a forward_fail `failed_downstream`, else a link_fail `failed_here`, else it
 * is `in_flight`. `final_htlc` events (type UNKNOWN) are not used, and a SEND
 * link_fail with outgoing htlc id 0 (a send attempt refused before it got an
 * id; lnd gives all of them the same ids) is not an HTLC of its own.
 */

import type { Db } from './sqlite.js';

const merge = (col: string) => `${col} = coalesce(min(${col}, excluded.${col}), ${col}, excluded.${col})`;
const keep = (col: string) => `${col} = coalesce(${col}, excluded.${col})`;

export const DERIVE_HTLCS_SQL = `
INSERT INTO htlcs (node, event_type, channel_id, htlc_id, incoming_channel_id, outgoing_channel_id, outgoing_htlc_id,
                   incoming_amt_msat, outgoing_amt_msat, first_ns, forward_ns, settle_ns, forward_fail_ns, link_fail_ns,
                   wire_failure, failure_detail)
SELECT node, event_type,
       CASE event_type WHEN 1 THEN outgoing_channel_id ELSE incoming_channel_id END,
       CASE event_type WHEN 1 THEN outgoing_htlc_id ELSE incoming_htlc_id END,
       incoming_channel_id, outgoing_channel_id, outgoing_htlc_id,
       incoming_amt_msat, outgoing_amt_msat,
       timestamp_ns,
       CASE WHEN kind IN ('forward', 'link_fail') THEN timestamp_ns END,
       CASE WHEN kind = 'settle' THEN timestamp_ns END,
       CASE WHEN kind = 'forward_fail' THEN timestamp_ns END,
       CASE WHEN kind = 'link_fail' THEN timestamp_ns END,
       wire_failure, failure_detail
FROM events
WHERE id > :after AND id <= :upto
  AND event_type IN (1, 2, 3)
  AND kind IN ('forward', 'settle', 'forward_fail', 'link_fail')
  AND (CASE event_type WHEN 1 THEN outgoing_channel_id ELSE incoming_channel_id END) != 0
  AND NOT (event_type = 1 AND kind = 'link_fail' AND outgoing_htlc_id = 0)
ORDER BY id
ON CONFLICT DO UPDATE SET
  ${merge('first_ns')},
  ${merge('forward_ns')},
  ${merge('settle_ns')},
  ${merge('forward_fail_ns')},
  ${merge('link_fail_ns')},
  ${keep('incoming_channel_id')},
  ${keep('outgoing_channel_id')},
  ${keep('outgoing_htlc_id')},
  ${keep('incoming_amt_msat')},
  ${keep('outgoing_amt_msat')},
  ${keep('wire_failure')},
  ${keep('failure_detail')}
`;

/** The meta key of the id up to which `htlcs` is derived. */
export const DERIVED_TO_KEY = 'htlcs_derived_to';

/** The derivation's statements on one connection. */
export class Deriver {
  private readonly derive;
  private readonly maxId;
  private readonly derivedTo;
  private readonly setDerivedTo;

  constructor(db: Db) {
    this.derive = db.prepare(DERIVE_HTLCS_SQL);
    this.maxId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck();
    this.derivedTo = db
      .prepare(`SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${DERIVED_TO_KEY}'), 0)`)
      .pluck();
    this.setDerivedTo = db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('${DERIVED_TO_KEY}', ?)`);
  }

  /** Stored events not yet in `htlcs` (by id: an upper bound once retention deleted some). */
  lag(): number {
    return Math.max(0, (this.maxId.get() as number) - this.derived());
  }

  /** The event id up to which `htlcs` is derived. */
  derived(): number {
    return this.derivedTo.get() as number;
  }

  /**
   * Derives the next `maxEvents` event ids at most, in the caller's
   * transaction; returns how many are left after them.
   */
  step(maxEvents: number): number {
    const after = this.derived();
    const top = this.maxId.get() as number;
    const upto = Math.min(top, after + maxEvents);
    if (upto <= after) return 0;
    this.derive.run({ after, upto });
    this.setDerivedTo.run(String(upto));
    return top - upto;
  }
}
