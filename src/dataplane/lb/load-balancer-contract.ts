/**
 * The contract every load balancer meets (STYLE.md habit 4: one interface, small strategies, one
 * shared suite). Each strategy's test file calls `runLoadBalancerContract` with a constructor;
 * `skip` names cases a strategy cannot meet, with the reason written next to it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LbHost, LoadBalancer, LoadBalancerContext } from './host.ts';
import { SeededRandom, type Random } from './random.ts';

/** A host whose state the tests change. */
export class TestHostForTest implements LbHost {
  readonly hashKey: string;
  weight: number;
  healthy: boolean;
  activeRequests = 0;
  constructor(name: string, weight = 1, healthy = true) {
    this.hashKey = name;
    this.weight = weight;
    this.healthy = healthy;
  }
}

export type ContractCase =
  | 'empty'
  | 'single'
  | 'all-reachable'
  | 'skips-unhealthy'
  | 'refresh'
  | 'panic'
  | 'panic-disabled'
  | 'all-unhealthy'
  | 'priorities'
  | 'set-hosts'
  | 'weights'
  | 'deterministic';

export interface LoadBalancerContractOptions {
  readonly name: string;
  readonly create: (
    hostsByPriority: readonly (readonly TestHostForTest[])[],
    random: Random,
    healthyPanicThreshold?: number,
  ) => LoadBalancer<TestHostForTest>;
  readonly skip?: Partial<Record<ContractCase, string>>;
}

const hosts = (...specs: [string, number?, boolean?][]): TestHostForTest[] => specs.map(([n, w, h]) => new TestHostForTest(n, w, h));

/** Picks `n` times with a fresh random request hash each time; counts per host. */
export function countPicksForTest(lb: LoadBalancer<TestHostForTest>, n: number, seed = 99): Map<string, number> {
  const keys = new SeededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const ctx: LoadBalancerContext = { hashKey: keys.nextUint32() };
    const h = lb.pick(ctx);
    const k = h === undefined ? '<none>' : h.hashKey;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export function runLoadBalancerContract(o: LoadBalancerContractOptions): void {
  const skip = o.skip ?? {};
  const it = (c: ContractCase, title: string, fn: () => void): void => {
    const reason = skip[c];
    test(title, reason ? { skip: reason } : {}, fn);
  };
  const random = () => new SeededRandom(12345);

  describe(`LoadBalancer contract: ${o.name}`, () => {
    it('empty', 'no hosts: no pick', () => {
      assert.equal(o.create([], random()).pick(), undefined);
      assert.equal(o.create([[]], random()).pick({ hashKey: 1 }), undefined);
    });

    it('single', 'one healthy host is always the pick', () => {
      const lb = o.create([hosts(['a'])], random());
      assert.deepEqual([...countPicksForTest(lb, 100)], [['a', 100]]);
      assert.equal(lb.pick()?.hashKey, 'a', 'works without a context too');
    });

    it('all-reachable', 'with equal weights every host gets picks', () => {
      const lb = o.create([hosts(['a'], ['b'], ['c'], ['d'], ['e'])], random());
      const c = countPicksForTest(lb, 2000);
      for (const n of ['a', 'b', 'c', 'd', 'e']) assert.ok((c.get(n) ?? 0) > 200, `${n}: ${c.get(n)}`);
    });

    it('skips-unhealthy', 'unhealthy hosts are skipped while enough are healthy (3 of 4 ≥ 50%)', () => {
      const lb = o.create([hosts(['a'], ['b', 1, false], ['c'], ['d'])], random());
      const c = countPicksForTest(lb, 2000);
      assert.equal(c.get('b'), undefined);
      assert.equal([...c.values()].reduce((s, v) => s + v, 0), 2000);
    });

    it('refresh', 'refresh() takes health changes into account', () => {
      const hs = hosts(['a'], ['b'], ['c']);
      const lb = o.create([hs], random());
      assert.ok((countPicksForTest(lb, 900).get('b') ?? 0) > 0);
      hs[1].healthy = false;
      lb.refresh();
      assert.equal(countPicksForTest(lb, 900).get('b'), undefined);
      hs[1].healthy = true;
      lb.refresh();
      assert.ok((countPicksForTest(lb, 900).get('b') ?? 0) > 0);
    });

    it('panic', 'below the panic threshold (1 of 4 healthy < 50%) every host is used', () => {
      const lb = o.create([hosts(['a'], ['b', 1, false], ['c', 1, false], ['d', 1, false])], random());
      const c = countPicksForTest(lb, 2000);
      assert.equal(c.size, 4, JSON.stringify([...c]));
    });

    it('panic-disabled', 'a panic threshold of 0 keeps to healthy hosts, and picks none when none is', () => {
      const hs = hosts(['a'], ['b', 1, false], ['c', 1, false], ['d', 1, false]);
      const lb = o.create([hs], random(), 0);
      assert.deepEqual([...countPicksForTest(lb, 500)], [['a', 500]]);
      hs[0].healthy = false;
      lb.refresh();
      assert.equal(lb.pick({ hashKey: 7 }), undefined);
    });

    it('all-unhealthy', 'with every host unhealthy, the default threshold panics across all', () => {
      const lb = o.create([hosts(['a', 1, false], ['b', 1, false])], random());
      const c = countPicksForTest(lb, 1000);
      assert.equal(c.size, 2, JSON.stringify([...c]));
    });

    it('priorities', 'the highest priority with a healthy host serves; lower ones only when it has none', () => {
      const p0 = hosts(['p0a'], ['p0b']);
      const p1 = hosts(['p1a']);
      const lb = o.create([p0, p1], random());
      assert.equal(countPicksForTest(lb, 500).get('p1a'), undefined);
      for (const h of p0) h.healthy = false;
      lb.refresh();
      assert.deepEqual([...countPicksForTest(lb, 500)], [['p1a', 500]]);
      p0[0].healthy = true;
      lb.refresh();
      assert.equal(countPicksForTest(lb, 500).get('p1a'), undefined);
    });

    it('set-hosts', 'setHosts replaces the hosts', () => {
      const lb = o.create([hosts(['a'], ['b'])], random());
      lb.setHosts([hosts(['c'], ['d'])]);
      const c = countPicksForTest(lb, 500);
      assert.deepEqual([...c.keys()].sort(), ['c', 'd']);
    });

    it('weights', 'weights 1:2:7 over 10,000 picks land within ±1.5 points', () => {
      const lb = o.create([hosts(['x', 1], ['y', 2], ['z', 7])], random());
      const c = countPicksForTest(lb, 10_000);
      for (const [n, want] of [['x', 10], ['y', 20], ['z', 70]] as const) {
        const got = (100 * (c.get(n) ?? 0)) / 10_000;
        assert.ok(Math.abs(got - want) <= 1.5, `${n}: ${got}% (want ${want}%)`);
      }
    });

    it('deterministic', 'the same seed gives the same picks', () => {
      const seq = () => {
        const lb = o.create([hosts(['a'], ['b', 3], ['c'])], new SeededRandom(7));
        return Array.from({ length: 50 }, () => lb.pick()?.hashKey);
      };
      assert.deepEqual(seq(), seq());
    });
  });
}
