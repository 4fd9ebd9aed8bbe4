// Limits that keep one client from holding the server's sockets: a request must arrive whole
// within a deadline (a body trickled a few bytes at a time is cut off), idle sockets are closed,
// and one address may hold only so many connections at once.
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';

export function serverTimeouts(limits: Config['http']): { connectionTimeout: number; requestTimeout: number; http: ServerOptions } {
  return {
    // Fastify reads 0 as "use the default", which is no limit; both are always set here.
    connectionTimeout: limits.idleTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      // Headers have the same deadline as the whole request, but never more than a minute.
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      // Node checks the deadlines every 30 s by default, so a 10 s deadline could hold for 40 s.
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(limits.requestTimeoutMs / 4))),
    },
  };
}

/** Sockets over `max` from one address are closed as they open (0: no limit). */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'payload_too_large', 'The request headers are too large'],
};

/**
 * Errors Node meets before a request reaches Fastify (a deadline passed, unparsable HTTP): answered
 * with the project's error envelope, then the socket is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'validation_error', 'Malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
