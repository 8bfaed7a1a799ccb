/**
 * Which certificate verifies the node and which macaroon is sent (this layer
 * names files; the lnd layer reads them):
 *
 * - The cert: --tlscertpath/LNCLI_TLSCERTPATH, the lndconnect URI's (without
 *   `cert`: the system CA roots), the profile's, lnd.conf `tlscertpath` (with
 *   the default lnddir only, as lnd does), else `<lnddir>/tls.cert`; when
 *   nothing names a cert and that default file does not exist, the system CA
 *   roots verify the node (a CA-signed node needs no file) and the missing
 *   path is kept for the message should the handshake fail.
 * - The macaroon: --macaroonpath/LNCLI_MACAROONPATH, the URI's (a URI without
 *   one is an error, exit 3), the profile's, none with lnd.conf
 *   `no-macaroons=1`, lnd.conf `readonlymacaroonpath`, else
 *   `<datadir>/chain/bitcoin/<net>/readonly.macaroon` (least privilege).
 */
import { configError } from '../errors.js';
import { confSource } from './lndconf-file.js';
import type { LndConf } from './lndconf.js';
import type { LndConnect } from './lndconnect.js';
import type { Given } from './given.js';
import { networkDirName, type NetworkName } from './networks.js';
import { joinPath } from './paths.js';
import type { ProfileConnection } from './profile-connection.js';
import type { CertSource, MacaroonSource } from './types.js';

/** The node's other sources of settings, and where lnd keeps its files. */
export interface CredentialSources {
  readonly lndconnect: { readonly uri: LndConnect; readonly source: string } | undefined;
  readonly profile: ProfileConnection | undefined;
  readonly conf: LndConf | undefined;
  readonly platform: NodeJS.Platform;
  readonly exists: (path: string) => boolean;
  readonly expand: (path: string) => string;
}

export function resolveCert(
  given: Given | undefined,
  s: CredentialSources,
  lnd: { readonly lndDir: string; readonly customDir: boolean },
): CertSource {
  if (given) return { kind: 'file', path: s.expand(given.value), option: given.source, source: given.source };
  if (s.lndconnect) {
    const { uri, source } = s.lndconnect;
    return uri.certPem
      ? { kind: 'pem', pem: uri.certPem, source: `${source} URI` }
      : { kind: 'system', source: `${source} URI without cert (CA-signed node)` };
  }
  if (s.profile) return s.profile.cert;
  const conf = s.conf;
  if (!lnd.customDir && conf?.tlscertpath) {
    return {
      kind: 'file',
      path: conf.tlscertpath.value,
      option: '--tlscertpath',
      source: confSource(conf, conf.tlscertpath.line, 'tlscertpath'),
    };
  }
  const path = joinPath(s.platform, lnd.lndDir, 'tls.cert');
  return s.exists(path)
    ? { kind: 'file', path, option: '--tlscertpath', source: 'default' }
    : { kind: 'system', source: `no cert given and none at ${path}`, missingDefaultPath: path };
}

export function resolveMacaroon(
  given: Given | undefined,
  s: CredentialSources,
  lnd: { readonly dataDir: string; readonly network: NetworkName },
): MacaroonSource {
  if (given) return { kind: 'file', path: s.expand(given.value), option: given.source, source: given.source };
  if (s.lndconnect) {
    const { uri, source } = s.lndconnect;
    if (!uri.macaroon) {
      throw configError(
        `${source}: the lndconnect URI has no macaroon parameter; use a URI that includes one, or pass --macaroonpath`,
      );
    }
    return { kind: 'bytes', bytes: uri.macaroon, source: `${source} URI` };
  }
  if (s.profile?.macaroon) return s.profile.macaroon;
  const conf = s.conf;
  if (conf?.noMacaroons) return { kind: 'none', source: `${conf.fileName} (no-macaroons)` };
  if (conf?.readonlymacaroonpath) {
    return {
      kind: 'file',
      path: conf.readonlymacaroonpath.value,
      option: '--macaroonpath',
      source: confSource(conf, conf.readonlymacaroonpath.line, 'readonlymacaroonpath'),
    };
  }
  return {
    kind: 'file',
    path: joinPath(s.platform, lnd.dataDir, 'chain', 'bitcoin', networkDirName(lnd.network), 'readonly.macaroon'),
    option: '--macaroonpath',
    source: 'default',
  };
}
