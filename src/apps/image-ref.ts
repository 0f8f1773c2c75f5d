/**
 * Container image references as Docker and Kubernetes read them:
 * `[registry/]path[:tag][@digest]`. The first component is a registry when it has a `.` or a `:`
 * or is `localhost`; Docker Hub's official images live under `library/`, which `nginx` omits.
 */

export interface ImageRef {
  /** `docker.io` when the reference names none. */
  readonly registry: string;
  /** Lower-case path without registry; Docker Hub's `library/` dropped: `nginx`, `istio/examples-helloworld-v1`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let repository = (hasRegistry ? rest.slice(slash + 1) : rest).toLowerCase();
  if (DOCKER_HUB.has(registry) && repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
