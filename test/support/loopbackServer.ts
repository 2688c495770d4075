import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on a free loopback port, for the fake messenger APIs tests talk to. */
export abstract class LoopbackServer {
  url = '';
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => this.server.once('listening', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A fake API that can be told to fail the next calls to a path in a given way. */
export abstract class FaultyApi<F> extends LoopbackServer {
  private readonly faults = new Map<string, F[]>();

  /** The next `times` calls to `path` fail this way. */
  fail(path: string, fault: F, times = 1): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...Array<F>(times).fill(fault)]);
  }

  protected nextFault(path: string): F | undefined {
    return this.faults.get(path)?.shift();
  }
}
