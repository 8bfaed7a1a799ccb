/**
 * lnd's unary calls that the tail makes (for peer aliases and the block
 * height), over REST: `GET /v1/getinfo`, `GET /v1/channels?peer_alias_lookup=true`
 * and `GET /v1/graph/node/{pub_key}`, with the same dial, TLS and macaroon as
 * the stream. Errors are rejected as a CallFailure (`{code, details}`, gRPC's
 * codes), which is what the alias loader reports.
 */
import https from 'node:https';
import {
  channelsOf,
  nodeAliasOf,
  nodeInfoOf,
  type ChannelSummary,
  type NodeInfoSummary,
  type NodeLookups,
} from '../lookups.js';
import { CallFailure, GrpcCode, isCallStatus } from '../status.js';
import type { LndTarget } from '../target.js';
import { ERROR_BODY_LIMIT, getRequestOptions, networkDetails, statusFromHttp } from './request.js';

const MAX_BODY = 64 * 1024 * 1024;

function getJson(target: LndTarget, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const fail = (code: number, details: string) => reject(new CallFailure(code, details));
    const req = https.request(getRequestOptions(target, path, { timeoutMs: target.connectTimeoutMs }), (res) => {
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
          fail(GrpcCode.INTERNAL, `GET ${path}: the answer is not JSON`);
        }
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(GrpcCode.UNAVAILABLE, networkDetails(e)));
    });
    req.on('timeout', () => {
      req.destroy();
      fail(GrpcCode.UNAVAILABLE, `GET ${path}: no answer within ${target.connectTimeoutMs / 1000} s`);
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(GrpcCode.UNAVAILABLE, networkDetails(e)));
    req.end();
  });
}

/** The lookups over lnd's REST port. Each call has a connection of its own: close() only refuses later calls. */
export function restLookups(target: LndTarget): NodeLookups {
  let closed = false;
  const get = (path: string): Promise<unknown> =>
    closed ? Promise.reject<unknown>(new CallFailure(GrpcCode.CANCELLED, 'the tail is ending')) : getJson(target, path);
  return {
    async getInfo(): Promise<NodeInfoSummary> {
      return nodeInfoOf(await get('/v1/getinfo'));
    },
    async listChannels(): Promise<ChannelSummary[]> {
      return channelsOf(await get('/v1/channels?peer_alias_lookup=true'));
    },
    async getNodeAlias(pubkey: string): Promise<string> {
      try {
        return nodeAliasOf(await get(`/v1/graph/node/${encodeURIComponent(pubkey)}?include_channels=false`));
      } catch (e) {
        // NOT_FOUND (HTTP 404, `unable to find node`): a peer the graph does not know has no alias.
        if (isCallStatus(e) && e.code === GrpcCode.NOT_FOUND) return '';
        throw e;
      }
    },
    close() {
      closed = true;
    },
  };
}
