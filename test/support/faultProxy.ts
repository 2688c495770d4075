import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on a loopback port in front of MariaDB or Redis, for fault tests. The real services
 * are shared by every test file running at the same time, so they are never stopped: a test points
 * one bot at the proxy instead and cuts that bot off.
 *
 * `pause()` is what an outage or a restart looks like from the client: every open connection is
 * reset and every new one is reset as soon as it is accepted (a refused connection, as while the
 * service is down). `resume()` lets new connections through again; the service still holds what it
 * held, like a restarted MariaDB, or a Redis that was unreachable rather than wiped.
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Socket>();
  private paused = false;
  /** Connections accepted while paused and reset at once: proof that the client tried. */
  refused = 0;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy to the host and port of `url` (mysql://…, redis://…). */
  static async inFrontOf(url: string): Promise<FaultProxy> {
    const target = new URL(url);
    const defaultPort = target.protocol.startsWith('redis') ? 6379 : 3306;
    const proxy = new FaultProxy(target.hostname, Number(target.port || defaultPort));
    proxy.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('listening', resolve);
      proxy.server.once('error', reject);
    });
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's; user, path and query are kept. */
  rewrite(url: string): string {
    const rewritten = new URL(url);
    rewritten.hostname = '127.0.0.1';
    rewritten.port = String(this.port);
    return rewritten.toString();
  }

  get connections(): number {
    return this.pairs.size / 2;
  }

  pause(): void {
    this.paused = true;
    for (const socket of this.pairs) socket.resetAndDestroy();
    this.pairs.clear();
  }

  resume(): void {
    this.paused = false;
  }

  async close(): Promise<void> {
    this.pause();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.paused) {
      this.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    for (const socket of [client, upstream]) {
      this.pairs.add(socket);
      socket.setNoDelay(true);
      // Either side going away takes the other with it, as a broken TCP path would.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.pairs.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
