/**
 * Requests through a running `weft up`'s outbound proxy as a given Pod, as `weft exec POD -- curl`
 * sends them (absolute-form request line, the Pod in the proxy credentials), with a keep-alive agent
 * so that a thousand requests take a second, not a minute.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MeshResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export class MeshClient {
  readonly #host: string;
  readonly #port: number;
  readonly #auth: string;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(stateDir: string, pod: { namespace?: string; name: string }) {
    const [host, port] = readFileSync(join(stateDir, 'proxy'), 'utf8').trim().split(':');
    this.#host = host;
    this.#port = Number(port);
    this.#auth = `Basic ${Buffer.from(`${pod.namespace ?? 'default'}:${pod.name}`).toString('base64')}`;
  }

  get(url: string, headers: Record<string, string> = {}): Promise<MeshResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.#host, port: this.#port, path: url, agent: this.#agent, headers: { 'proxy-authorization': this.#auth, ...headers } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url}: no answer in 10 s`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** `count` GETs, `concurrency` at a time; the responses in completion order. */
  async many(url: string, count: number, concurrency = 4, headers: Record<string, string> = {}): Promise<MeshResponse[]> {
    const out: MeshResponse[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        out.push(await this.get(url, headers));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return out;
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** How many responses' bodies match each pattern. */
export function tally(responses: readonly MeshResponse[], patterns: Record<string, RegExp>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(patterns).map((k) => [k, 0]));
  for (const r of responses) for (const [k, re] of Object.entries(patterns)) if (re.test(r.body)) counts[k]++;
  return counts;
}

/** Which of Cilium's echo Deployments (echo-service-1/2, json-mock) served a response: its Pod name is in the echoed body. */
export function echoServedBy(r: MeshResponse): string {
  const m = /echo-service-[12]/.exec(JSON.stringify(JSON.parse(r.body).pod ?? r.body));
  return m ? m[0] : 'unknown';
}
