/**
 * The `Volumes:` section of kubectl's Pod and Pod-template describers (describeVolumes and its
 * print*VolumeSource helpers), for the volume sources Pods in weft's manifests use. A source kubectl
 * knows but weft's manifests never carry (cloud disks, iSCSI...) prints `<unknown>`.
 */
import type { PrefixWriter } from './describe-writer.ts';

// Volume sources are read loosely: only the fields printed here are looked at.
type Source = Readonly<Record<string, unknown>>;

export interface Volume {
  readonly name: string;
  readonly [source: string]: unknown;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const bool = (v: unknown): string => (v === true ? 'true' : 'false');

function sourceOf(v: Volume, key: string): Source | undefined {
  const s = v[key];
  return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Source) : undefined;
}

function printProjected(src: Source, w: PrefixWriter): void {
  w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const s of (Array.isArray(src.sources) ? src.sources : []) as Source[]) {
    const secret = s.secret as Source | undefined;
    const configMap = s.configMap as Source | undefined;
    const token = s.serviceAccountToken as Source | undefined;
    if (secret) w.write(2, `SecretName:\t${str(secret.name)}\n    Optional:\t${bool(secret.optional)}\n`);
    else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
    else if (configMap) w.write(2, `ConfigMapName:\t${str(configMap.name)}\n    Optional:\t${bool(configMap.optional)}\n`);
    // The API server defaults expirationSeconds to one hour.
    else if (token) w.write(2, `TokenExpirationSeconds:\t${str(token.expirationSeconds ?? 3600)}\n`);
  }
}

function printDownwardAPI(src: Source, w: PrefixWriter): void {
  w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
  for (const item of (Array.isArray(src.items) ? src.items : []) as Source[]) {
    const field = item.fieldRef as Source | undefined;
    const res = item.resourceFieldRef as Source | undefined;
    if (field) w.write(3, `${str(field.fieldPath)} -> ${str(item.path)}\n`);
    if (res) w.write(3, `${str(res.resource)} -> ${str(item.path)}\n`);
  }
}

function printCsi(src: Source, w: PrefixWriter): void {
  w.write(2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(src.driver)}\n    FSType:\t${str(src.fsType)}\n    ReadOnly:\t${bool(src.readOnly)}\n`);
  w.write(2, 'VolumeAttributes:\t');
  const attrs = (src.volumeAttributes ?? {}) as Readonly<Record<string, string>>;
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) {
      w.write(2, '');
      w.write(2, '\t');
    }
    const line = `${k}=${attrs[k]}`;
    w.write(2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
  });
}

/** One volume's source lines, at level 2 (the `Type:` line and its details). */
function printSource(v: Volume, w: PrefixWriter): void {
  let s: Source | undefined;
  if ((s = sourceOf(v, 'hostPath'))) {
    w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(s.path)}\n    HostPathType:\t${str(s.type) || '<none>'}\n`);
  } else if ((s = sourceOf(v, 'emptyDir'))) {
    const size = s.sizeLimit !== undefined && s.sizeLimit !== null && s.sizeLimit !== '0' && s.sizeLimit !== 0 ? str(s.sizeLimit) : '<unset>';
    w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(s.medium)}\n    SizeLimit:\t${size}\n`);
  } else if ((s = sourceOf(v, 'secret'))) {
    w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(s.secretName)}\n    Optional:\t${bool(s.optional)}\n`);
  } else if ((s = sourceOf(v, 'configMap'))) {
    w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(s.name)}\n    Optional:\t${bool(s.optional)}\n`);
  } else if ((s = sourceOf(v, 'nfs'))) {
    w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(s.server)}\n    Path:\t${str(s.path)}\n    ReadOnly:\t${bool(s.readOnly)}\n`);
  } else if ((s = sourceOf(v, 'persistentVolumeClaim'))) {
    w.write(
      2,
      `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(s.claimName)}\n    ReadOnly:\t${bool(s.readOnly)}\n`,
    );
  } else if ((s = sourceOf(v, 'downwardAPI'))) {
    printDownwardAPI(s, w);
  } else if ((s = sourceOf(v, 'projected'))) {
    printProjected(s, w);
  } else if ((s = sourceOf(v, 'csi'))) {
    printCsi(s, w);
  } else if ((s = sourceOf(v, 'image'))) {
    w.write(2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${str(s.reference)}\n    PullPolicy:\t${str(s.pullPolicy)}\n`);
  } else {
    w.write(1, '<unknown>\n');
  }
}

/** describeVolumes: `Volumes:\t<none>`, or each volume's name and source. `space` indents templates. */
export function describeVolumes(volumes: readonly Volume[] | undefined, w: PrefixWriter, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  const nameIndent = space.length > 0 ? ' ' : '';
  for (const v of volumes) {
    w.write(1, `${nameIndent}${v.name}:\n`);
    printSource(v, w);
  }
}
