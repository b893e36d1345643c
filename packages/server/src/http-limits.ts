import type { IncomingMessage, Server } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';
import type { ServerConfig, TrustProxy } from './env.ts';

export type HttpLimits = ServerConfig['limits'];

/**
 * Timeouts on request bodies and a cap on connections per peer address, at the Node server under
 * Fastify, so that they hold for every route (tRPC, /api, the legacy routes, the price upload).
 *
 * - idle: while the server waits for a body, the client must send something at least every
 *   `bodyIdleMs`. Time the server itself spends not reading (an import writing a batch, or waiting for
 *   the import lock, leaves the request's buffer full) does not count.
 * - total: a body must arrive in full within `requestBodyMs` of its headers (`uploadBodyMs` for the
 *   paths `isUpload` names). Node's own headersTimeout already bounds the headers.
 * A cut request is answered 408 when nothing was answered yet, and its connection is closed: a reader of
 * its body (the importer) fails, its transaction rolls back and its locks are released.
 */
export function limitRequestBodies(
  server: Server,
  limits: HttpLimits,
  isUpload: (url: string) => boolean,
): void {
  const watched = new Set<Watch>();
  let sweeper: NodeJS.Timeout | null = null;
  const tick = Math.max(50, Math.min(1000, limits.bodyIdleMs / 4));

  const sweep = () => {
    const now = Date.now();
    for (const watch of watched) {
      const { req } = watch;
      if (req.complete || req.socket.destroyed) {
        watched.delete(watch);
        continue;
      }
      if (now - watch.started > watch.totalMs) {
        watched.delete(watch);
        cut(req, 'the request body did not arrive in time');
        continue;
      }
      const bytes = req.socket.bytesRead;
      // A full buffer means the reader is the slow one: the socket is paused, the client is not idle.
      const waitingForReader = req.readableLength >= req.readableHighWaterMark;
      if (bytes !== watch.bytes || waitingForReader) {
        watch.bytes = bytes;
        watch.lastActivity = now;
      } else if (now - watch.lastActivity > limits.bodyIdleMs) {
        watched.delete(watch);
        cut(req, 'the client stopped sending the request body');
      }
    }
    if (watched.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };

  server.on('request', (req: IncomingMessage) => {
    if (req.complete) return;
    const now = Date.now();
    watched.add({
      req,
      started: now,
      lastActivity: now,
      bytes: req.socket.bytesRead,
      totalMs: isUpload(req.url ?? '') ? limits.uploadBodyMs : limits.requestBodyMs,
    });
    if (!sweeper) {
      sweeper = setInterval(sweep, tick);
      sweeper.unref();
    }
  });
  server.on('close', () => {
    if (sweeper) clearInterval(sweeper);
    sweeper = null;
    watched.clear();
  });
}

type Watch = {
  req: IncomingMessage;
  started: number;
  lastActivity: number;
  bytes: number;
  totalMs: number;
};

function cut(req: IncomingMessage, detail: string) {
  const { socket } = req;
  const res = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!res?.headersSent && socket.writable) {
    const body = JSON.stringify({ error: { reason: 'REQUEST_TIMEOUT', message: detail } });
    socket.write(
      `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * At most `connectionsPerAddress` open connections per TCP peer address; one more is answered 503 with
 * Retry-After and closed. Keyed on the peer: behind trusted proxies (TRUST_PROXY) the peer is the proxy,
 * which every client shares, so those peers are exempt (a hop count trusts every peer).
 */
export function limitConnections(server: Server, limits: HttpLimits, trustProxy: TrustProxy): void {
  const cap = limits.connectionsPerAddress;
  if (cap === 0 || typeof trustProxy === 'number') return;
  const proxies = trustProxy === false ? null : proxyList(trustProxy);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (!address || proxies?.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4')) return;
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      const body = JSON.stringify({
        error: { reason: 'TOO_MANY_CONNECTIONS', message: `at most ${cap} connections per address` },
      });
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`,
      );
      socket.once('finish', () => socket.destroy());
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

function proxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}
