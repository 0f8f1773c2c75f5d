/**
 * Test fixture: every kitchen-sink resource (kitchen-sink-*.ts) as one set of snapshot resources
 * whose references all resolve, so `buildSnapshot` accepts it.
 */
import type { SnapshotResources } from '../snapshot.ts';
import { kitchenSinkLoadAssignmentForTest, kitchenSinkOtherClustersForTest, kitchenSinkSecretsForTest, kitchenSinkStaticClusterForTest } from './kitchen-sink-clusters.ts';
import { kitchenSinkInternalListenerForTest, kitchenSinkListenerForTest, kitchenSinkPipeListenerForTest } from './kitchen-sink-listeners.ts';
import { kitchenSinkRouteConfigurationForTest } from './kitchen-sink-routes.ts';

export function kitchenSinkResourcesForTest(): Required<SnapshotResources> {
  return {
    listeners: [kitchenSinkListenerForTest(), kitchenSinkPipeListenerForTest(), kitchenSinkInternalListenerForTest()],
    routeConfigurations: [kitchenSinkRouteConfigurationForTest()],
    clusters: [kitchenSinkStaticClusterForTest(), ...kitchenSinkOtherClustersForTest()],
    endpoints: [kitchenSinkLoadAssignmentForTest()],
    secrets: kitchenSinkSecretsForTest(),
  };
}
