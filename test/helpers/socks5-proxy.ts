/**
 * A SOCKS5 proxy for tests (RFC 1928, no authentication, CONNECT only),
 * written here independently of src/. It resolves host names itself from a
 * fixed map (e.g. a fake `xxxx….onion` name → the simulated node's local
 * port), logs every requested destination (so a test can assert that the
 * proxy, not the client, resolved the name), and can misbehave on demand:
 * answer with a reply code (host unreachable, TTL expired…), never answer,
 * close after the greeting, ask for a password, or not speak SOCKS at all.
 */
import net from 'node:net';

export type ProxyMode =
  /** Connect mapped names and IP literals; unknown names get "host unreachable". */
  | { readonly kind: 'normal' }
  /** Answer every CONNECT with this reply code (4 host unreachable, 5 refused, 6 TTL expired…). */
  | { readonly kind: 'reply'; readonly code: number }
  /** Accept the TCP connection and never say anything. */
  | { readonly kind: 'silent' }
  /** Answer the greeting, never answer the CONNECT. */
  | { readonly kind: 'hang-connect' }
  /** Answer the greeting, then close. */
  | { readonly kind: 'close-after-greeting' }
  /** Accept only user/password authentication. */
  | { readonly kind: 'auth-required' }
  /** Answer like an HTTP server. */
  | { readonly kind: 'not-socks' };

export interface ProxyRequest {
  readonly type: 'name' | 'ipv4' | 'ipv6';
  readonly host: string;
  readonly port: number;
}

export interface TestSocksProxy {
  readonly host: string;
  readonly port: number;
  /** Every CONNECT destination, in order. */
  readonly requests: ProxyRequest[];
  mode: ProxyMode;
  /** Live client connections (greeting received). */
  readonly sessions: number;
  close(): Promise<void>;
}

/** A v3 onion name: 56 base32 characters. */
export function fakeOnion(seed = 'a'): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let s = '';
  for (let i = 0; s.length < 56; i++) s += alphabet[(seed.charCodeAt(i % seed.length) + i * 7) % 32];
  return `${s}.onion`;
}

function reply(code: number): Buffer {
  return Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}

export async function startSocksProxy(
  names: Readonly<Record<string, { host: string; port: number }>>,
  mode: ProxyMode = { kind: 'normal' },
): Promise<TestSocksProxy> {
  const requests: ProxyRequest[] = [];
  const sockets = new Set<net.Socket>();
  let sessions = 0;
  const state = { mode };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const m = state.mode;
    if (m.kind === 'silent') return;
    if (m.kind === 'not-socks') {
      client.once('data', () => client.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
      return;
    }
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'done' = 'greeting';
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 'greeting') {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        if (buf[0] !== 0x05) return client.destroy();
        const methods = [...buf.subarray(2, 2 + buf[1]!)];
        buf = buf.subarray(2 + buf[1]!);
        sessions++;
        if (m.kind === 'auth-required') {
          client.end(Buffer.from([0x05, methods.includes(0x02) ? 0x02 : 0xff]));
          return;
        }
        client.write(Buffer.from([0x05, 0x00]));
        if (m.kind === 'close-after-greeting') {
          client.end();
          return;
        }
        stage = 'request';
      }
      if (stage === 'request') {
        if (buf.length < 5) return;
        const atyp = buf[3]!;
        const addrLen = atyp === 0x01 ? 4 : atyp === 0x04 ? 16 : 1 + buf[4]!;
        if (buf.length < 4 + addrLen + 2) return;
        const addr = buf.subarray(4, 4 + addrLen);
        const port = buf.readUInt16BE(4 + addrLen);
        buf = buf.subarray(4 + addrLen + 2);
        stage = 'done';
        client.removeListener('data', onData);
        const req: ProxyRequest =
          atyp === 0x03
            ? { type: 'name', host: addr.subarray(1).toString('latin1'), port }
            : atyp === 0x01
              ? { type: 'ipv4', host: [...addr].join('.'), port }
              : { type: 'ipv6', host: formatV6(addr), port };
        requests.push(req);
        if (m.kind === 'hang-connect') return;
        if (m.kind === 'reply') return void client.end(reply(m.code));
        const dest = req.type === 'name' ? names[req.host.toLowerCase()] : { host: req.host, port: req.port };
        if (!dest) return void client.end(reply(0x04));
        const upstream = net.connect({ host: dest.host, port: dest.port });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.once('connect', () => {
          client.write(reply(0x00));
          if (buf.length) upstream.write(buf);
          client.pipe(upstream);
          upstream.pipe(client);
        });
        let connected = false;
        upstream.once('connect', () => (connected = true));
        upstream.on('error', (e: NodeJS.ErrnoException) => {
          if (connected) client.destroy();
          else client.end(reply(e.code === 'ECONNREFUSED' ? 0x05 : 0x04));
        });
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(v: ProxyMode) {
      state.mode = v;
    },
    get sessions() {
      return sessions;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function formatV6(b: Buffer): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(i).toString(16));
  return parts.join(':');
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
