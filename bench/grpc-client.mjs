/**
 * The baselines: a SubscribeHtlcEvents client as lnd's docs write it
 * (@grpc/grpc-js + @grpc/proto-loader), in three modes:
 *
 *   log   console.log(response) for every message (what a user would run)
 *   null  proto-loader decodes every message; the client only counts
 *   raw   the deserializer returns the bytes undecoded; the client only counts
 *
 * usage: node bench/grpc-client.mjs MODE LNDDIR NETWORK COUNT
 *
 * Stops after COUNT HTLC events (COUNT + 1 messages: lnd sends the
 * subscribed event first, which htlc-tail filters out by default), then
 * writes one JSON line of timings to stderr and exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [mode, lnddir, network, countArg] = process.argv.slice(2);
if (!['log', 'null', 'raw'].includes(mode) || !lnddir || !network || !countArg) {
  process.stderr.write('usage: node bench/grpc-client.mjs log|null|raw LNDDIR NETWORK COUNT\n');
  process.exit(2);
}
const want = Number(countArg) + 1;
const protoDir = fileURLToPath(new URL('../protos/', import.meta.url));

// Where lnd's docs look: lnd.conf's rpclisten, tls.cert, the readonly macaroon.
const conf = fs.readFileSync(path.join(lnddir, 'lnd.conf'), 'utf8');
const rpc = /^rpclisten=(.*)$/m.exec(conf)?.[1] ?? 'localhost:10009';
const cert = fs.readFileSync(path.join(lnddir, 'tls.cert'));
const macaroon = fs
  .readFileSync(path.join(lnddir, 'data', 'chain', 'bitcoin', network, 'readonly.macaroon'))
  .toString('hex');

// lnd's docs (grpc.md, "JavaScript"), unchanged but for the options the brief fixes.
const loaderOptions = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};
const packageDefinition = protoLoader.loadSync(['lightning.proto', 'routerrpc/router.proto'], loaderOptions);
const routerrpc = grpc.loadPackageDefinition(packageDefinition).routerrpc;
const sslCreds = grpc.credentials.createSsl(cert);
const macaroonCreds = grpc.credentials.createFromMetadataGenerator((_args, callback) => {
  const metadata = new grpc.Metadata();
  metadata.add('macaroon', macaroon);
  callback(null, metadata);
});
const creds = grpc.credentials.combineChannelCredentials(sslCreds, macaroonCreds);
const router = new routerrpc.Router(rpc, creds, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });

let n = 0;
let first = 0n;
const t0 = process.hrtime.bigint();
let call;
if (mode === 'raw') {
  const client = new grpc.Client(rpc, creds);
  call = client.makeServerStreamRequest(
    '/routerrpc.Router/SubscribeHtlcEvents',
    () => Buffer.alloc(0),
    (bytes) => bytes,
    {},
  );
} else {
  call = router.subscribeHtlcEvents({});
}

const done = () => {
  const last = process.hrtime.bigint();
  process.stderr.write(
    JSON.stringify({ events: n, firstToLastMs: Number(last - first) / 1e6, sinceStartMs: Number(last - t0) / 1e6 }) +
      '\n',
  );
  process.exit(0);
};

const onData =
  mode === 'log'
    ? (response) => {
        if (n === 0) first = process.hrtime.bigint();
        console.log(response);
        if (++n >= want) done();
      }
    : () => {
        if (n === 0) first = process.hrtime.bigint();
        if (++n >= want) done();
      };
call.on('data', onData);
call.on('error', (err) => {
  process.stderr.write(`grpc-client: ${err.message}\n`);
  process.exit(1);
});
call.on('end', () => {
  process.stderr.write(`grpc-client: stream ended after ${n} messages\n`);
  process.exit(1);
});
