/**
 * What the kubelet reports about its machine in a Node's status (NodeSystemInfo, capacity), read
 * from this machine: Node's `os` module, /etc/os-release and the Linux ids where they are readable.
 * Injected into the NodeController so that tests use fixed facts.
 */
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, release, totalmem, version as osVersion } from 'node:os';

export interface NodeHost {
  /** Go's GOARCH spelling (`amd64`, `arm64`), as the kubelet reports it. */
  readonly architecture: string;
  /** Go's GOOS spelling (`linux`, `darwin`, `windows`). */
  readonly operatingSystem: string;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly machineID: string;
  readonly systemUUID: string;
  readonly bootID: string;
  readonly cpus: number;
  readonly memoryBytes: number;
}

const GO_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

const GO_OS: Readonly<Record<string, string>> = { win32: 'windows' };

/** Node's process.arch in Go's GOARCH spelling. */
export function goArch(nodeArch: string): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}

export function goOs(platform: string): string {
  return GO_OS[platform] ?? platform;
}

function readTrimmed(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME of an os-release file's text (the kubelet's osImage), or undefined. */
export function prettyName(osRelease: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  if (!m) return undefined;
  const v = m[1].trim();
  return v.replace(/^(["'])(.*)\1$/, '$2') || undefined;
}

/** This machine's facts, read once. */
export function readNodeHost(): NodeHost {
  const platform = goOs(process.platform);
  return {
    architecture: goArch(arch()),
    operatingSystem: platform,
    osImage: prettyName(readTrimmed('/etc/os-release')) ?? prettyName(readTrimmed('/usr/lib/os-release')) ?? osVersion(),
    kernelVersion: release(),
    machineID: readTrimmed('/etc/machine-id'),
    systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid'),
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
  };
}
