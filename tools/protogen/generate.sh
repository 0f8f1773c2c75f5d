#!/usr/bin/env bash
# Regenerates the Envoy v3 descriptor set weft decodes Envoy resources with:
#   src/ingest/envoy/envoy-descriptors.binpb   (a binary google.protobuf.FileDescriptorSet)
#   src/ingest/envoy/envoy-type-names.json     (every message type Envoy's API defines, so that
#                                                a valid Envoy @type weft does not run is told apart
#                                                from a misspelt one)
# The .proto sources come from @grpc/grpc-js-xds (deps/: envoy-api, xds, googleapis,
# protoc-gen-validate); buf compiles the subset weft needs. Run from anywhere:
#   cd tools/protogen && npm install && npm run generate
# Both outputs are checked in, so normal installs and CI never need this folder's node_modules.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT_DIR="$ROOT/src/ingest/envoy"
DEPS="$HERE/node_modules/@grpc/grpc-js-xds/deps"
BUF="$HERE/node_modules/.bin/buf"

if [[ ! -d "$DEPS/envoy-api" || ! -x "$BUF" ]]; then
  echo "generate.sh: run 'npm install' in tools/protogen first" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# A copied tree: buf needs a module layout, and validate.proto needs one patch (below).
cp -R "$DEPS/envoy-api" "$DEPS/xds" "$DEPS/googleapis" "$DEPS/protoc-gen-validate" "$WORK/"

# grpc-js-xds ships a validate.proto older than its envoy-api: envoy-api uses
# StringRules.ignore_empty (field 26 in current protoc-gen-validate), which this copy lacks, so
# buf refuses the files. Add the one field, exactly as upstream defines it.
VALIDATE="$WORK/protoc-gen-validate/validate/validate.proto"
if ! grep -q 'ignore_empty = 26' "$VALIDATE"; then
  node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const src = fs.readFileSync(file, "utf8");
    const at = src.indexOf("message StringRules {");
    if (at < 0) { console.error("validate.proto: StringRules not found"); process.exit(1); }
    const brace = src.indexOf("{", at) + 1;
    fs.writeFileSync(file, src.slice(0, brace) + "\n    optional bool ignore_empty = 26;\n" + src.slice(brace));
  ' "$VALIDATE"
fi

cat > "$WORK/buf.yaml" <<'YAML'
version: v2
modules:
  - path: envoy-api
  - path: xds
  - path: googleapis
    excludes:
      - googleapis/google/api/servicemanagement
      - googleapis/google/api/servicecontrol
  - path: protoc-gen-validate
YAML

# Every message weft decodes, and the files that define their typed configs. Imports are included
# by buf (all of envoy/config/core, route, cluster, endpoint, accesslog, matchers, ...).
PROTOS=(
  envoy/config/bootstrap/v3/bootstrap.proto
  envoy/config/listener/v3/listener.proto
  envoy/config/route/v3/route.proto
  envoy/config/cluster/v3/cluster.proto
  envoy/config/endpoint/v3/endpoint.proto
  envoy/extensions/transport_sockets/tls/v3/tls.proto
  envoy/extensions/transport_sockets/tls/v3/secret.proto
  envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto
  envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
  envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto
  envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit.proto
  envoy/extensions/filters/network/connection_limit/v3/connection_limit.proto
  envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto
  envoy/extensions/filters/http/router/v3/router.proto
  envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto
  envoy/extensions/filters/http/fault/v3/fault.proto
  envoy/extensions/upstreams/http/v3/http_protocol_options.proto
  envoy/extensions/access_loggers/file/v3/file.proto
  envoy/extensions/access_loggers/stream/v3/stream.proto
  envoy/extensions/regex_engines/v3/google_re2.proto
  envoy/extensions/retry/host/previous_hosts/v3/previous_hosts.proto
)
ARGS=()
for p in "${PROTOS[@]}"; do ARGS+=(--path "envoy-api/$p"); done

mkdir -p "$OUT_DIR"
(cd "$WORK" && "$BUF" build . --exclude-source-info "${ARGS[@]}" -o "$OUT_DIR/envoy-descriptors.binpb")

# Every top-level and nested message type name in envoy-api (package + message nesting), from the
# .proto sources. Small (names only) and only used for wording: "valid Envoy, not run by weft".
node "$HERE/list-type-names.mjs" "$WORK/envoy-api" > "$OUT_DIR/envoy-type-names.json"

echo "wrote $OUT_DIR/envoy-descriptors.binpb ($(wc -c < "$OUT_DIR/envoy-descriptors.binpb") bytes)"
echo "wrote $OUT_DIR/envoy-type-names.json ($(wc -c < "$OUT_DIR/envoy-type-names.json") bytes)"
