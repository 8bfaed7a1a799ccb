/**
 * lnd's unary calls that the tail makes (for peer aliases and the block
 * height), over REST: `GET /v1/getinfo`, `GET /v1/channels?peer_alias_lookup=true`
 * and `GET /v1/graph/node/{pub_key}`, with the same TLS and macaroon as the
 * stream. Errors are rejected as `{code, details}` (gRPC status shape), which
 * is what the alias loader reports.
 */
import https from 'node:https';
import type { AliasLookups } from '../pipeline/alias-loader.js';
import { channelsOf, isGrpcStatusError, nodeInfoOf, type ChannelSummary, type GrpcStatusError, type NodeInfoSummary } from '../lnd/unary.js';
import type { LndTarget } from '../lnd/target.js';
import { Code, ERROR_BODY_LIMIT, getRequestOptions, networkDetails, statusFromHttp } from './request.js';

const MAX_BODY = 64 * 1024 * 1024;
const NOT_FOUND = 5;

function getJson(target: LndTarget, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const fail = (code: number, details: string) => reject({ code, details } satisfies GrpcStatusError);
    const req = https.request(getRequestOptions(target, path, target.connectTimeoutMs), (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= (res.statusCode === 200 ? MAX_BODY : ERROR_BODY_LIMIT)) chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          const st = statusFromHttp(res.statusCode ?? 0, res.statusMessage, body);
          return fail(st.code, st.details);
        }
        try {
          resolve(JSON.parse(body));
        } catch {
          fail(Code.INTERNAL, `GET ${path}: the answer is not JSON`);
        }
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(Code.UNAVAILABLE, networkDetails(e)));
    });
    req.on('timeout', () => {
      req.destroy();
      fail(Code.UNAVAILABLE, `GET ${path}: no answer within ${target.connectTimeoutMs / 1000} s`);
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(Code.UNAVAILABLE, networkDetails(e)));
    req.end();
  });
}

export function restLookups(target: LndTarget): AliasLookups {
  return {
    async getInfo(): Promise<NodeInfoSummary> {
      const r = await getJson(target, '/v1/getinfo');
      return nodeInfoOf(r);
    },
    async listChannels(): Promise<ChannelSummary[]> {
      const r = await getJson(target, '/v1/channels?peer_alias_lookup=true');
      return channelsOf(r);
    },
    async getNodeAlias(pubkey: string): Promise<string> {
      try {
        const r = await getJson(target, `/v1/graph/node/${encodeURIComponent(pubkey)}?include_channels=false`);
        return r.node?.alias ?? '';
      } catch (e) {
        // NOT_FOUND (HTTP 404, `unable to find node`): a peer the graph does not know has no alias.
        if (isGrpcStatusError(e) && e.code === NOT_FOUND) return '';
        throw e;
      }
    },
  };
}
