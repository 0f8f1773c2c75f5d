import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newLoadAssignment } from '../builders.ts';
import { encodeClusterLoadAssignment } from './endpoint.ts';
import { kitchenSinkLoadAssignmentForTest } from './kitchen-sink-clusters.ts';

test('the kitchen-sink ClusterLoadAssignment encodes to the hand-written Envoy JSON', () => {
  // ClusterLoadAssignment has no metadata field: its sources are not part of its JSON.
  assert.deepEqual(encodeClusterLoadAssignment(kitchenSinkLoadAssignmentForTest()), {
    cluster_name: 'eds-service',
    endpoints: [
      {
        locality: { region: 'eu', zone: 'eu-1a', sub_zone: 'rack-7' },
        lb_endpoints: [
          {
            endpoint: { address: { socket_address: { address: '127.0.0.2', port_value: 8080 } }, health_check_config: { port_value: 8081, hostname: 'hc.local' }, hostname: 'pod-a' },
            health_status: 'HEALTHY',
            load_balancing_weight: 5,
          },
          { endpoint: { address: { pipe: { path: '/run/app.sock' } } }, health_status: 'DRAINING' },
        ],
        load_balancing_weight: 70,
      },
      { locality: {}, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.3', port_value: 8080 } } } }], priority: 1 },
    ],
    policy: { overprovisioning_factor: 200 },
  });
});

test('newLoadAssignment: priority 0 is left out, weights are UInt32Values, IPv6 addresses lose their brackets', () => {
  const cla = newLoadAssignment('svc', ['127.0.0.1:80', { address: '[::1]:81', weight: 3 }, { address: '127.0.0.2:82', priority: 2 }]);
  assert.deepEqual(encodeClusterLoadAssignment(cla), {
    cluster_name: 'svc',
    endpoints: [
      {
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 80 } } } },
          { endpoint: { address: { socket_address: { address: '::1', port_value: 81 } } }, load_balancing_weight: 3 },
        ],
      },
      { lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.2', port_value: 82 } } } }], priority: 2 },
    ],
  });
});
