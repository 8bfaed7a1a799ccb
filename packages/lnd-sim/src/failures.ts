/**
 * lnd's failure texts for link_fail events. `failure_string` is the link
 * error's text: the failure detail's text when there is one (e.g.
 * `insufficient bandwidth to route htlc`, `invoice not found`), else the wire
 * message's own text, which for policy failures (FEE_INSUFFICIENT,
 * AMOUNT_BELOW_MINIMUM, INCORRECT_CLTV_EXPIRY, EXPIRY_TOO_SOON,
 * CHANNEL_DISABLED) embeds a multi-line dump of the channel update, like
 * Go's spew.Sdump (lnd even leaves the opening parenthesis unclosed).
 */
import type { Rng } from './rng.js';

/** The outgoing-link failure details and their texts (htlcswitch's OutgoingFailure). */
export const OUTGOING_FAILURE_TEXT = {
  ONION_DECODE: 'could not decode wire failure',
  LINK_NOT_ELIGIBLE: 'link not eligible',
  ON_CHAIN_TIMEOUT: 'payment was resolved on-chain, then canceled back',
  HTLC_EXCEEDS_MAX: 'htlc exceeds maximum policy amount',
  INSUFFICIENT_BALANCE: 'insufficient bandwidth to route htlc',
  CIRCULAR_ROUTE: 'same incoming and outgoing channel',
  INCOMPLETE_FORWARD: 'failed after detecting incomplete forward',
  HTLC_ADD_FAILED: 'could not add downstream htlc',
  FORWARDS_DISABLED: 'node configured to disallow forwards',
} as const;

/** Invoice registry failures as RECEIVE link_fail events carry them: [FailureDetail name, text]. */
export const INVOICE_FAILURES: ReadonlyArray<readonly [string, string]> = [
  ['UNKNOWN_INVOICE', 'invoice not found'],
  ['INVOICE_CANCELED', 'invoice already canceled'],
  ['INVOICE_UNDERPAID', 'amount too low'],
  ['INVOICE_EXPIRY_TOO_SOON', 'expiry too soon'],
  ['INVOICE_NOT_OPEN', 'invoice no longer open'],
  ['MPP_INVOICE_TIMEOUT', 'mpp timeout'],
  ['SET_TOTAL_MISMATCH', "htlc total amt doesn't match set total"],
];

/** Genesis block hashes (display order) of the networks, as a channel update's ChainHash shows them. */
export const CHAIN_HASH: Readonly<Record<string, string>> = {
  mainnet: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  testnet: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
  regtest: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
  simnet: '683e86bd5c6d110d91b94b97137ba6bfe02dbbdb8e3dff722a669b5d69d77af6',
  signet: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6',
};

export interface ChannelPolicy {
  readonly chanId: bigint;
  readonly timeLockDelta: number;
  readonly htlcMinimumMsat: bigint;
  readonly htlcMaximumMsat: bigint;
  readonly baseFeeMsat: number;
  readonly feeRatePpm: number;
  /** Direction bit of the update (0 or 1). */
  readonly direction: number;
  readonly disabled: boolean;
}

/** `BLOCK:TX:OUT`, as lnwire.ShortChannelID prints itself. */
export function scidColons(chanId: bigint): string {
  return `${chanId >> 40n}:${(chanId >> 16n) & 0xffffffn}:${chanId & 0xffffn}`;
}

function hexDump(data: Buffer, indent: string): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${indent}${off.toString(16).padStart(8, '0')}  ${left}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** A Go spew-style dump of an lnwire.ChannelUpdate1, as lnd embeds it in failure texts. */
export function channelUpdateDump(p: ChannelPolicy, network: string, timestamp: number, rng: Rng): string {
  const bits = (n: number) => n.toString(2).padStart(8, '0');
  const sig = rng.bytes(64);
  return [
    '(lnwire.ChannelUpdate1) {',
    ' Signature: (lnwire.Sig) {',
    '  bytes: ([64]uint8) (len=64 cap=64) {',
    hexDump(sig, '   '),
    '  },',
    '  sigType: (lnwire.sigType) 0',
    ' },',
    ` ChainHash: (chainhash.Hash) (len=32 cap=32) ${CHAIN_HASH[network] ?? CHAIN_HASH.regtest},`,
    ` ShortChannelID: (lnwire.ShortChannelID) ${scidColons(p.chanId)},`,
    ` Timestamp: (uint32) ${timestamp},`,
    ` MessageFlags: (lnwire.ChanUpdateMsgFlags) ${bits(1)},`,
    ` ChannelFlags: (lnwire.ChanUpdateChanFlags) ${bits((p.disabled ? 2 : 0) | p.direction)},`,
    ` TimeLockDelta: (uint16) ${p.timeLockDelta},`,
    ` HtlcMinimumMsat: (lnwire.MilliSatoshi) ${p.htlcMinimumMsat} mSAT,`,
    ` BaseFee: (uint32) ${p.baseFeeMsat},`,
    ` FeeRate: (uint32) ${p.feeRatePpm},`,
    ` HtlcMaximumMsat: (lnwire.MilliSatoshi) ${p.htlcMaximumMsat} mSAT,`,
    ' ExtraOpaqueData: (lnwire.ExtraOpaqueData) <nil>',
    '}',
    '',
  ].join('\n');
}

/** The wire failures whose text embeds a channel update, and how each names its first value. */
export type PolicyFailure =
  'FEE_INSUFFICIENT' | 'AMOUNT_BELOW_MINIMUM' | 'INCORRECT_CLTV_EXPIRY' | 'EXPIRY_TOO_SOON' | 'CHANNEL_DISABLED';

/**
 * lnd's text for a policy failure at our outgoing link, e.g.
 * `FeeInsufficient(htlc_amt==1500000 mSAT, update=(lnwire.ChannelUpdate1) {` followed by the dump.
 */
export function policyFailureText(
  kind: PolicyFailure,
  args: { amtMsat: bigint; cltv: number; policy: ChannelPolicy; network: string; timestamp: number; rng: Rng },
): string {
  const dump = channelUpdateDump(args.policy, args.network, args.timestamp, args.rng);
  switch (kind) {
    case 'FEE_INSUFFICIENT':
      return `FeeInsufficient(htlc_amt==${args.amtMsat} mSAT, update=${dump}`;
    case 'AMOUNT_BELOW_MINIMUM':
      return `AmountBelowMinimum(amt=${args.amtMsat} mSAT, update=${dump}`;
    case 'INCORRECT_CLTV_EXPIRY':
      return `IncorrectCltvExpiry(expiry=${args.cltv}, update=${dump}`;
    case 'EXPIRY_TOO_SOON':
      return `ExpiryTooSoon(update=${dump}`;
    case 'CHANNEL_DISABLED':
      return `ChannelDisabled(flags=${(args.policy.disabled ? 2 : 0) | args.policy.direction}, update=${dump}`;
  }
}
