/** A description of the machine a run happened on, for the report header and the JSON. */
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface MachineInfo {
  readonly os: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    os: `${osType()} ${release()}`,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? '?',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
