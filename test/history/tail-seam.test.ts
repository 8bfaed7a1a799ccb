/**
 * The seam in front of a node's event source (history/tail-seam.ts), with a
 * scripted source and a real store: recorded events first, live events that
 * arrive while the store is read held and handed over after them (those the
 * store already had printed once), a stop while the node's identity is still
 * being asked does not hang and loses no live event.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import type { HtlcEvent } from '../../src/events/model.js';
import { openStore, type Store } from '../../src/history/open.js';
import { withHistorySeam } from '../../src/history/tail-seam.js';
import type {
  EventSource,
  NodeConnection,
  NodeIdentity,
  NodeStreamHooks,
} from '../../src/transport/node-connection.js';
import { ev, info, tempDir, writeStore } from './helpers.js';

const PUB = '02' + 'ee'.repeat(32);
const BASE = BigInt(Date.now() - 60_000) * 1_000_000n;
const fwd = (i: number): HtlcEvent =>
  ev.forward(
    (BASE + BigInt(i) * 1_000_000n).toString(),
    { inChan: '11', inId: String(i), outChan: '22', outId: String(i) },
    info('1001', '1000'),
  );

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  file = path.join(dir, 'seam.sqlite');
  const { store } = await writeStore(file, [0, 1, 2, 3, 4].map(fwd), { identity: PUB });
  // No recorder wrote just now: the seam does not wait for one.
  store.db.prepare('UPDATE nodes SET last_seen_ms = 0').run();
  store.close();
});
afterAll(() => cleanup());

/** A connection whose source is driven by the test. */
function fakeConnection(identity: () => Promise<NodeIdentity>) {
  let hooks: NodeStreamHooks | undefined;
  let end: () => void = () => undefined;
  const source: EventSource = {
    run: () => new Promise<void>((resolve) => (end = resolve)),
    pause: () => undefined,
    resume: () => undefined,
    stop: () => end(),
  };
  const conn = {
    open(h: NodeStreamHooks) {
      hooks = h;
      return source;
    },
    identity,
  } as unknown as NodeConnection;
  return { conn, hooks: () => hooks!, end: () => end() };
}

function collector() {
  const out: string[] = [];
  const hooks: NodeStreamHooks = {
    notify: (m) => out.push(`notice: ${m}`),
    onEvent: (e) => out.push(`${e.recorded ? 'recorded' : 'live'} ${e.incomingHtlcId}`),
    onGap: () => out.push('gap'),
    onSubscribed: () => undefined,
  };
  return { out, hooks };
}

let store: Store;
beforeAll(async () => (store = await openStore(file, 'read')));
afterAll(() => store.close());

describe('tail seam', () => {
  test('live events during the read wait; the overlap is printed once; recorded first', async () => {
    let answer: (v: NodeIdentity) => void = () => undefined;
    const fake = fakeConnection(() => new Promise((r) => (answer = r)));
    const { out, hooks } = collector();
    const src = withHistorySeam(fake.conn, { store, select: { sinceNs: 0n } }).open(hooks);
    const running = src.run();
    const live = fake.hooks();
    live.onSubscribed(false);
    // While the node's identity is asked (the store not read yet), events 3 and 4 (also recorded) and 5 arrive.
    for (const i of [3, 4, 5]) live.onEvent(fwd(i));
    expect(out).toEqual([]);
    answer({ identity: PUB, pubkey: PUB });
    await new Promise((r) => setTimeout(r, 100));
    live.onEvent(fwd(6));
    expect(out).toEqual(['recorded 0', 'recorded 1', 'recorded 2', 'live 3', 'live 4', 'live 5', 'live 6']);
    src.stop();
    await running;
  });

  test('a live stream behind the recorder: what the store printed is dropped when it comes live', async () => {
    const fake = fakeConnection(async () => ({ identity: PUB }));
    const { out, hooks } = collector();
    const src = withHistorySeam(fake.conn, { store, select: { sinceNs: 0n } }).open(hooks);
    const running = src.run();
    fake.hooks().onSubscribed(false);
    await new Promise((r) => setTimeout(r, 100));
    for (const i of [3, 4, 5, 6]) fake.hooks().onEvent(fwd(i));
    expect(out).toEqual(['recorded 0', 'recorded 1', 'recorded 2', 'recorded 3', 'recorded 4', 'live 5', 'live 6']);
    src.stop();
    await running;
  });

  test('--tail N: the last N before the seam', async () => {
    let answer: (v: NodeIdentity) => void = () => undefined;
    const fake = fakeConnection(() => new Promise((r) => (answer = r)));
    const { out, hooks } = collector();
    const src = withHistorySeam(fake.conn, { store, select: { last: 2 } }).open(hooks);
    const running = src.run();
    fake.hooks().onSubscribed(false);
    fake.hooks().onEvent(fwd(4));
    answer({ identity: PUB });
    await new Promise((r) => setTimeout(r, 100));
    expect(out).toEqual(['recorded 2', 'recorded 3', 'live 4']);
    src.stop();
    await running;
  });

  test('a stop while GetInfo does not answer ends the run at once; held live events still come out', async () => {
    const fake = fakeConnection(() => new Promise(() => undefined));
    const { out, hooks } = collector();
    const src = withHistorySeam(fake.conn, { store, select: { sinceNs: 0n } }).open(hooks);
    const running = src.run();
    fake.hooks().onSubscribed(false);
    fake.hooks().onEvent(fwd(9));
    src.stop();
    await running;
    expect(out).toEqual(['live 9']);
  });

  test('a node the store does not know: a notice, then live', async () => {
    const fake = fakeConnection(async () => ({ identity: '03' + 'aa'.repeat(32) }));
    const { out, hooks } = collector();
    const src = withHistorySeam(fake.conn, { store, select: { last: 3 } }).open(hooks);
    const running = src.run();
    fake.hooks().onSubscribed(false);
    fake.hooks().onEvent(fwd(7));
    await new Promise((r) => setTimeout(r, 50));
    expect(out).toEqual([
      expect.stringMatching(
        /^notice: .*seam\.sqlite holds no recorded events of this node \(03aa.*\) yet; going on live$/,
      ),
      'live 7',
    ]);
    src.stop();
    await running;
  });
});
