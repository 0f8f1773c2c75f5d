// Load balancers over a minimal host view: round robin (EDF-weighted), least request (P2C),
// random, ring hash, Maglev; priorities and panic in one base. Pure; randomness injected.
export { createLoadBalancer } from './create-load-balancer.ts';
export type { LoadBalancerSettings } from './create-load-balancer.ts';
export { EdfScheduler } from './edf-scheduler.ts';
export type { LbHost, LoadBalancer, LoadBalancerContext } from './host.ts';
export { LeastRequestBalancer } from './least-request.ts';
export type { LeastRequestOptions } from './least-request.ts';
export { DEFAULT_MAGLEV_TABLE_SIZE, MaglevBalancer } from './maglev.ts';
export type { MaglevOptions } from './maglev.ts';
export { DEFAULT_HEALTHY_PANIC_THRESHOLD, PriorityLoadBalancer } from './priority-load-balancer.ts';
export type { LoadBalancerOptions } from './priority-load-balancer.ts';
export { RandomBalancer } from './random-balancer.ts';
export { createRandom, SeededRandom } from './random.ts';
export type { Random } from './random.ts';
export { RingHashBalancer } from './ring-hash.ts';
export type { RingHashOptions } from './ring-hash.ts';
export { RoundRobinBalancer } from './round-robin.ts';
