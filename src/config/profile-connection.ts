/**
 * One lncli profile → the connection settings the config layer resolves for a
 * node (the same kinds a flag or an lndconnect URI gives: an address, a PEM
 * cert or the system roots, macaroon bytes), with the jar's default macaroon
 * decoded or decrypted.
 *
 * Refused (exit 3, naming the profile and the setting): `insecure` (no TLS)
 * and `no-macaroons` profiles, a jar without the default macaroon, a cert that
 * is not PEM, a macaroon that is not lnd's, a wrong password (for encrypted
 * entries) and a damaged encrypted entry. Nothing here prints; the password
 * and the macaroon never appear in a message.
 */
import { X509Certificate } from 'node:crypto';
import { configError } from '../errors.js';
import { DEFAULT_RPC_PORT, dialHost, parseHostPort, type HostPort } from './listen.js';
import { parseNetworkName, NETWORKS, type NetworkName } from './networks.js';
import type { JarEntry, ProfileEntry, ProfilesFile } from './profiles-file.js';
import { redacted } from './secret.js';
import { decryptSnacl, isSnacl, SnaclError } from './snacl.js';
import type { CertSource, MacaroonSource } from './types.js';

/** Asks for the password of lncli's encrypted macaroons; called at most once per run. */
export type PasswordProvider = (ask: { readonly profile: string; readonly file: string }) => Promise<Buffer>;

export const PASSWORD_ENV = 'HTLC_TAIL_MACAROON_PASSWORD';

/** A profile's settings, ready for resolveConfig. */
export interface ProfileConnection {
  readonly name: string;
  readonly file: string;
  /** `profile "NAME"`: the source of every setting taken from it. */
  readonly source: string;
  readonly rpcServer: HostPort;
  /** The profile's network, or undefined when it names none. */
  readonly network: NetworkName | undefined;
  /** lnd's directory on the machine where the profile was made ('' when none). */
  readonly lndDir: string;
  readonly cert: CertSource;
  /** The jar's default macaroon; null when not needed (--macaroonpath replaces it). */
  readonly macaroon: Extract<MacaroonSource, { kind: 'bytes' }> | null;
  /** The jar entry used, e.g. `admin` or `readonly.macaroon` (lncli keeps the file name); '' when not needed. */
  readonly macaroonName: string;
  readonly macaroonEncrypted: boolean;
  /** The jar's `timeout` (s) and `ip` for lncli's per-call caveats; 0 / '' when unset. */
  readonly macaroonTimeoutSec: number;
  readonly macaroonIp: string;
  /** gRPC metadata lncli sends with each call (may hold secrets; never print values). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ProfileResolveOptions {
  /** False when --macaroonpath replaces the jar's macaroon: nothing is decoded or decrypted. */
  readonly needMacaroon: boolean;
  readonly password: PasswordProvider;
  /**
   * Asked when `password` did not decrypt this profile's macaroon and it was
   * a password typed for another profile (several nodes, added with
   * different passwords); undefined: a wrong password is final.
   */
  readonly passwordAgain?: PasswordProvider;
}

function where(p: ProfileEntry, file: ProfilesFile): string {
  return `profile "${p.name}" of ${file.path}`;
}

function certOf(p: ProfileEntry, file: ProfilesFile, source: string): CertSource {
  if (p.tlscert.trim() === '') return { kind: 'system', source: `${source} (no tlscert: the system CA roots)` };
  const fix = `re-add the profile with lncli profile add (with --tlscertpath), or pass --tlscertpath`;
  if (!p.tlscert.includes('-----BEGIN CERTIFICATE-----')) {
    throw configError(`${where(p, file)}: "tlscert" is not a PEM certificate; ${fix}`);
  }
  try {
    new X509Certificate(p.tlscert);
  } catch {
    throw configError(`${where(p, file)}: "tlscert" is malformed (cannot parse the certificate); ${fix}`);
  }
  return { kind: 'pem', pem: Buffer.from(p.tlscert, 'utf8'), source };
}

function jarEntry(p: ProfileEntry, file: ProfilesFile): JarEntry {
  const jar = p.macaroons;
  const names = jar ? jar.jar.map((e) => `"${e.name}"`).join(', ') : '';
  if (!jar || jar.jar.length === 0) {
    throw configError(
      `${where(p, file)} has no macaroon in its jar; add one with lncli profile addmacaroon, or pass --macaroonpath`,
    );
  }
  if (jar.default === '') {
    throw configError(
      `${where(p, file)}: its macaroon jar names no default macaroon (jar holds ${names}); set "default" in the jar, or pass --macaroonpath`,
    );
  }
  const entry = jar.jar.find((e) => e.name === jar.default);
  if (!entry) {
    throw configError(
      `${where(p, file)}: the jar's default macaroon "${jar.default}" is not in the jar (it holds ${names}); fix "default" in the jar, or pass --macaroonpath`,
    );
  }
  return entry;
}

async function macaroonOf(
  p: ProfileEntry,
  file: ProfilesFile,
  entry: JarEntry,
  password: PasswordProvider,
  passwordAgain?: PasswordProvider,
): Promise<Buffer> {
  const label = `macaroon "${entry.name}" of ${where(p, file)}`;
  const data = entry.data.trim();
  let bytes: Buffer;
  if (data === '') throw configError(`${label} is empty; re-add it with lncli profile addmacaroon`);
  if (isSnacl(data)) {
    const pw = await password({ profile: p.name, file: file.path });
    try {
      bytes = await decryptSnacl(data, pw).catch(async (e: unknown) => {
        if (!(e instanceof SnaclError && e.reason === 'wrong-password' && passwordAgain)) throw e;
        const again = await passwordAgain({ profile: p.name, file: file.path });
        try {
          return await decryptSnacl(data, again);
        } finally {
          again.fill(0);
        }
      });
    } catch (e) {
      if (!(e instanceof SnaclError)) throw e;
      switch (e.reason) {
        case 'wrong-password':
          throw configError(
            `wrong macaroon password for profile "${p.name}" (${file.path}); give the password used at lncli profile add (prompt or ${PASSWORD_ENV})`,
          );
        case 'corrupt':
          throw configError(
            `corrupt encrypted macaroon "${entry.name}" in ${where(p, file)} (the password is right but the data does not decrypt); re-add the profile with lncli profile add`,
          );
        default:
          throw configError(
            `${label} is not a valid snacl: entry (${e.message}); re-add the profile with lncli profile add`,
          );
      }
    } finally {
      pw.fill(0);
    }
  } else {
    // lncli: hex.DecodeString.
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(data)) {
      throw configError(`${label} is neither hex nor snacl: encrypted; re-add it with lncli profile addmacaroon`);
    }
    bytes = Buffer.from(data, 'hex');
  }
  if (bytes[0] !== 0x02) {
    bytes.fill(0);
    throw configError(
      `${label} is not an lnd macaroon (expected the binary macaroon, version 2); re-add it with lncli profile addmacaroon`,
    );
  }
  return redacted(bytes);
}

/** Turns one profile into connection settings. Throws configErrors (exit 3). */
export async function resolveProfileConnection(
  p: ProfileEntry,
  file: ProfilesFile,
  opts: ProfileResolveOptions,
): Promise<ProfileConnection> {
  const source = `profile "${p.name}"`;
  if (p.insecure) {
    throw configError(
      `${where(p, file)} is "insecure" (no TLS): htlc-tail only connects over TLS; give the profile lnd's TLS cert (lncli profile add without --insecure)`,
    );
  }
  if (p.noMacaroons) {
    throw configError(
      `${where(p, file)} has "no-macaroons": htlc-tail always sends a macaroon; add a profile with a macaroon (lncli profile add --macaroonpath …)`,
    );
  }
  const rpc =
    p.rpcserver.trim() === ''
      ? { host: 'localhost', port: DEFAULT_RPC_PORT }
      : parseHostPort(p.rpcserver, DEFAULT_RPC_PORT);
  if (!rpc) {
    throw configError(`${where(p, file)}: "rpcserver" is not HOST:PORT; fix the profile, or pass --rpcserver`);
  }
  let network: NetworkName | undefined;
  if (p.network.trim() !== '') {
    network = parseNetworkName(p.network.trim());
    if (!network) {
      throw configError(
        `${where(p, file)}: "network" is not one of ${NETWORKS.join(', ')}; fix the profile, or pass --network`,
      );
    }
  }
  const cert = certOf(p, file, source);
  const entry = opts.needMacaroon ? jarEntry(p, file) : undefined;
  const bytes = entry ? await macaroonOf(p, file, entry, opts.password, opts.passwordAgain) : null;
  const jar = p.macaroons;
  return {
    name: p.name,
    file: file.path,
    source,
    rpcServer: { host: dialHost(rpc.host), port: rpc.port },
    network,
    lndDir: p.lnddir,
    cert,
    macaroon: bytes && entry ? { kind: 'bytes', bytes, source: `${source} (macaroon "${entry.name}")` } : null,
    macaroonName: entry?.name ?? '',
    macaroonEncrypted: entry ? isSnacl(entry.data.trim()) : false,
    macaroonTimeoutSec: jar?.timeout ?? 0,
    macaroonIp: jar?.ip ?? '',
    metadata: p.metadata,
  };
}
