/**
 * First-party caveat conditions as lnd checks them (macaroon-bakery's standard
 * checkers plus lnd's own): `time-before <RFC 3339>`, `ipaddr <ip>`,
 * `iprange <cidr>`. A condition is `<name> <argument>`, split at the first space.
 */
import { BlockList, isIP } from 'node:net';

export const COND_TIME_BEFORE = 'time-before';
export const COND_IPADDR = 'ipaddr';
export const COND_IPRANGE = 'iprange';

export interface ParsedCaveat {
  readonly condition: string;
  readonly arg: string;
}

/** Splits a condition into its name and argument; undefined when it is empty or starts with a space. */
export function parseCaveat(caveat: string): ParsedCaveat | undefined {
  if (caveat === '') return undefined;
  const i = caveat.indexOf(' ');
  if (i < 0) return { condition: caveat, arg: '' };
  if (i === 0) return undefined;
  return { condition: caveat.slice(0, i), arg: caveat.slice(i + 1) };
}

/** `time-before <t>` with t in UTC, RFC 3339 (fraction digits only when needed, like Go's RFC3339Nano). */
export function timeBeforeCaveat(t: Date): string {
  const iso = t.toISOString(); // 2030-01-02T03:04:05.678Z
  return `${COND_TIME_BEFORE} ${iso.replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z')}`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (the argument of `time-before`); undefined when malformed. */
export function parseRfc3339(text: string): Date | undefined {
  if (!RFC3339.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The earliest `time-before` among the caveats, if any (malformed ones are ignored). */
export function caveatExpiry(caveats: readonly string[]): Date | undefined {
  let min: Date | undefined;
  for (const c of caveats) {
    const p = parseCaveat(c);
    if (p?.condition !== COND_TIME_BEFORE) continue;
    const t = parseRfc3339(p.arg);
    if (t && (!min || t < min)) min = t;
  }
  return min;
}

export interface CaveatContext {
  readonly now: Date;
  /** The caller's IP address, when known (for ipaddr / iprange). */
  readonly peerIp?: string;
}

function ipInRange(ip: string, cidr: string): boolean | undefined {
  const m = /^(.+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const net = m[1]!;
  const family = isIP(net);
  const prefix = Number(m[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  const list = new BlockList();
  list.addSubnet(net, prefix, family === 4 ? 'ipv4' : 'ipv6');
  const fam = isIP(ip);
  if (fam === 0) return false;
  return list.check(ip, fam === 4 ? 'ipv4' : 'ipv6');
}

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/**
 * Checks one first-party caveat. Returns undefined when it is satisfied, else
 * lnd's error text, e.g. `caveat "time-before 2020-01-01T00:00:00Z" not satisfied: macaroon has expired`.
 */
export function checkCaveat(caveat: string, ctx: CaveatContext): string | undefined {
  const p = parseCaveat(caveat);
  const fail = (why: string) => `caveat ${JSON.stringify(caveat)} not satisfied: ${why}`;
  if (!p) return `cannot parse caveat ${JSON.stringify(caveat)}: caveat not recognized`;
  switch (p.condition) {
    case COND_TIME_BEFORE: {
      const t = parseRfc3339(p.arg);
      if (!t) return fail(`parsing time ${JSON.stringify(p.arg)} as RFC 3339 failed`);
      return ctx.now.getTime() < t.getTime() ? undefined : fail('macaroon has expired');
    }
    case COND_IPADDR: {
      const peer = ctx.peerIp === undefined ? undefined : normalizeIp(ctx.peerIp);
      if (peer === undefined) return fail('unable to get peer info from context');
      return isIP(p.arg) !== 0 && normalizeIp(p.arg) === peer
        ? undefined
        : fail('macaroon locked to different IP address');
    }
    case COND_IPRANGE: {
      if (ctx.peerIp === undefined) return fail('unable to get peer info from context');
      const inRange = ipInRange(normalizeIp(ctx.peerIp), p.arg);
      if (inRange === undefined) return fail(`unable to parse macaroon IP range: invalid CIDR address: ${p.arg}`);
      return inRange ? undefined : fail('macaroon locked to different IP range');
    }
    default:
      return fail('caveat not recognized');
  }
}
