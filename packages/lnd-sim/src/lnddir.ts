/**
 * Writes an lnd-like directory for the simulated node, so that
 * `htlc-tail --lnddir DIR --network <net>` finds everything where it would on
 * a real node: tls.cert, tls.key, lnd.conf and the four default macaroons in
 * data/chain/bitcoin/<network>/.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostPort } from './listen.js';
import type { DefaultMacaroonName } from '@htlc-tail/lnd-macaroon';

export interface LndDirInput {
  readonly host: string;
  readonly port: number;
  readonly network: string;
  readonly alias: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly macaroons: Readonly<Record<DefaultMacaroonName, Buffer>>;
  /** Written as `restlisten` when given. */
  readonly restPort?: number;
}

export interface LndDirPaths {
  readonly lnddir: string;
  readonly confPath: string;
  readonly tlsCertPath: string;
  readonly tlsKeyPath: string;
  readonly macaroonDir: string;
  readonly macaroonPaths: Readonly<Record<DefaultMacaroonName, string>>;
}

/** lnd.conf as an lnd user writes it (go-flags ini). */
export function lndConf(input: LndDirInput): string {
  const lines = [
    '; lnd.conf of a simulated lnd node (htlc-tail-sim). Not a real node:',
    '; it serves HTLC events, GetInfo, ListChannels, GetNodeInfo and the wallet state.',
    '',
    '[Application Options]',
    '# The gRPC interface.',
    `rpclisten=${hostPort(input.host, input.port)}`,
  ];
  if (input.restPort !== undefined) {
    lines.push('# The REST interface (same TLS certificate).', `restlisten=${hostPort(input.host, input.restPort)}`);
  }
  lines.push(
    `alias=${input.alias}`,
    'debuglevel=info',
    '',
    '[Bitcoin]',
    'bitcoin.active=true',
    `bitcoin.${input.network}=true`,
    'bitcoin.node=bitcoind',
    '',
  );
  return lines.join('\n');
}

export async function writeLndDir(dir: string, input: LndDirInput): Promise<LndDirPaths> {
  const lnddir = path.resolve(dir);
  const macaroonDir = path.join(lnddir, 'data', 'chain', 'bitcoin', input.network);
  await mkdir(macaroonDir, { recursive: true });
  const confPath = path.join(lnddir, 'lnd.conf');
  const tlsCertPath = path.join(lnddir, 'tls.cert');
  const tlsKeyPath = path.join(lnddir, 'tls.key');
  await writeFile(confPath, lndConf(input));
  await writeFile(tlsCertPath, input.certPem);
  await writeFile(tlsKeyPath, input.keyPem, { mode: 0o600 });
  await chmod(tlsKeyPath, 0o600);
  const macaroonPaths = {} as Record<DefaultMacaroonName, string>;
  for (const [name, bytes] of Object.entries(input.macaroons) as [DefaultMacaroonName, Buffer][]) {
    const p = path.join(macaroonDir, `${name}.macaroon`);
    // lnd: admin.macaroon 0640, the others 0644.
    const mode = name === 'admin' ? 0o640 : 0o644;
    await writeFile(p, bytes, { mode });
    await chmod(p, mode);
    macaroonPaths[name] = p;
  }
  return { lnddir, confPath, tlsCertPath, tlsKeyPath, macaroonDir, macaroonPaths };
}
