/**
 * `htlc-tail report FILE|-`: a capture (any format `replay` reads: raw lines,
 * lnd REST lines, htlc-tail's jsonl, gap lines among them) loaded into a
 * temporary store through the same correlation and writer as a recorder, so
 * the report over a capture takes the one aggregation path of the history.
 * The store is a file in a new temporary directory (not memory: a capture of
 * millions of events would otherwise be held in RAM), removed afterwards.
 *
 * Bad lines are counted and skipped (one notice at the end); a capture with
 * no event, gap or lnd error line at all is not a capture (exit 3). Peer
 * aliases a jsonl capture recorded name its channels; a capture carries no
 * node identity and no peer pubkeys, so the node is the file's name and
 * `--by peer` has one row of unknown peers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { configError, HtlcTailError } from '../errors.js';
import { Correlator } from '../events/correlate.js';
import type { OutputItem } from '../events/model.js';
import { openStore, type Store } from '../history/open.js';
import { StoreWriter } from '../history/writer.js';
import type { Notify } from '../pipeline/notices.js';
import { detectLine } from '../replay/detect.js';
import { LineSplitter } from '../util/line-splitter.js';

export interface LoadedCapture {
  readonly store: Store;
  readonly events: number;
  /** Removes the temporary store. */
  dispose(): Promise<void>;
}

export async function loadCapture(input: Readable, name: string, notify: Notify): Promise<LoadedCapture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'htlc-tail-report-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  let store: Store | undefined;
  try {
    store = await openStore(path.join(dir, 'capture.sqlite'), 'write');
    store.db.pragma('synchronous = OFF');
    const writer = new StoreWriter(store, { maxBatch: 20_000, highWaterMark: 200_000 });
    const sink = writer.node({ identity: name, name });
    const correlator = new Correlator();
    const aliases = new Map<string, string>();
    let events = 0;
    let bad = 0;
    let other = 0;
    let full = false;
    const put = (item: OutputItem) => {
      if (!sink.write(item)) full = true;
    };
    const splitter = new LineSplitter((line) => {
      const d = detectLine(line);
      if (d.kind === 'event') {
        events++;
        const ev = correlator.apply(d.event);
        if (ev.incomingAlias) aliases.set(ev.incomingChannelId, ev.incomingAlias);
        if (ev.outgoingAlias) aliases.set(ev.outgoingChannelId, ev.outgoingAlias);
        if (ev.event !== 'subscribed') put(ev);
      } else if (d.kind === 'gap') {
        other++;
        put(d.gap);
      } else if (d.kind === 'lnd-error') other++;
      else if (d.kind === 'bad') bad++;
      return true;
    });
    try {
      for await (const chunk of input) {
        splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
        if (full) {
          full = false;
          await writer.ready();
        }
      }
    } catch (err) {
      // The writer's failures are already one-line errors; anything else came from reading the input.
      if (err instanceof HtlcTailError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw configError(`report: reading ${name} failed (${e.code ?? e.message})`, err);
    }
    splitter.end();
    if (aliases.size > 0) sink.channels([...aliases].map(([channelId, alias]) => ({ channelId, alias })));
    await writer.close();
    if (events === 0 && other === 0 && bad > 0) {
      throw configError(
        `report: no line of ${name} is an event (${bad === 1 ? 'its one line is' : `all ${bad} lines are`} bad); give a capture of htlc-tail -f raw or -f jsonl, or lnd REST lines, or leave out FILE to report from the history database`,
      );
    }
    if (bad > 0) notify(`report: ${bad} line${bad === 1 ? '' : 's'} of ${name} that are not events skipped`);
    const opened = store;
    return { store: opened, events, dispose: async () => (opened.close(), await dispose()) };
  } catch (err) {
    store?.close();
    await dispose();
    throw err;
  }
}
