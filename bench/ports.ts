/** Picks loopback ports for the upstream and the targets: the next ones from a base that are free. */
import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port (checked by binding it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Hands out increasing free ports starting at `base`; at most `maxTries` ports are looked at per call. */
export class PortAllocator {
  #next: number;

  constructor(base: number) {
    this.#next = base;
  }

  async take(maxTries = 100): Promise<number | undefined> {
    for (let i = 0; i < maxTries && this.#next <= 65535; i++) {
      const port = this.#next++;
      if (await isPortFree(port)) return port;
    }
    return undefined;
  }
}
