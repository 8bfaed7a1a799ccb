/**
 * `npm run week -- --db FILE`: writes the simulated node's generated week
 * (fill-week.ts) into a history database, so `htlc-tail report --db FILE`
 * has something to show. Run as `node dist/history/week-main.js`; messages go
 * to stderr as `htlc-tail-week: …`; exit 2 for bad options, the store's exit
 * codes (3) for a database it cannot write.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run week -- --db FILE [--events N] [--seed N] [--end TIME] [--hostile-aliases]

Writes a realistic week of the simulated lnd node's HTLC traffic into the history
database FILE (through the same correlation and writer as a recorder), then exits.

  --db FILE            the history database to write (created when missing)
  --events N           about how many events (default 100000)
  --seed N             seed of the node and its traffic (default 1)
  --end TIME           when the week ends, RFC 3339 (default: now); with --seed, the same events every time
  --hostile-aliases    give one peer the alias bad<ESC>[31malias (a terminal escape)
  -h, --help           show this help
`;

function fail(msg: string): never {
  process.stderr.write(`htlc-tail-week: ${msg}\n${USAGE}`);
  process.exit(2);
}

function count(v: string | undefined, name: string, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} expects a whole number >= 0, got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        db: { type: 'string' },
        events: { type: 'string' },
        seed: { type: 'string' },
        end: { type: 'string' },
        'hostile-aliases': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.db === undefined) fail('--db FILE is required (the history database to write)');
  const endMs = args.end === undefined ? Date.now() : Date.parse(args.end);
  if (Number.isNaN(endMs)) fail(`--end expects an RFC 3339 time, got ${JSON.stringify(args.end)}`);
  const events = count(args.events, 'events', 100_000);
  const seed = count(args.seed, 'seed', 1);

  const { openStore } = await import('./open.js');
  const { fillStoreWithWeek } = await import('./fill-week.js');
  const { exitCodeFor, HtlcTailError } = await import('../errors.js');
  const started = Date.now();
  try {
    const store = await openStore(args.db, 'write');
    try {
      const r = await fillStoreWithWeek(store, {
        events,
        seed,
        endMs,
        hostileAliases: args['hostile-aliases'] === true,
      });
      process.stderr.write(
        `htlc-tail-week: wrote ${r.events} events and ${r.gaps} gaps of node ${r.week.node.alias} (${r.week.node.pubkey.slice(0, 16)}…), ` +
          `${new Date(r.week.startMs).toISOString()} to ${new Date(r.week.endMs).toISOString()}, into ${store.file} in ${Date.now() - started} ms\n`,
      );
    } finally {
      store.close();
    }
  } catch (err) {
    if (!(err instanceof HtlcTailError)) throw err;
    process.stderr.write(`htlc-tail-week: ${err.message}\n`);
    process.exit(exitCodeFor(err));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`htlc-tail-week: ${(err as Error).message}\n`);
  process.exit(1);
});
