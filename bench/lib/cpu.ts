import { readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Where CPU went during one measured block. */
export interface CpuSpent {
  /** Time this thread's event loop was busy (the relay's thread, when called from it). */
  threadMs: number;
  /** User + system CPU of the whole process: every thread, libuv's pool, GC helpers. */
  processMs: number;
  /** Busy CPU of the whole machine (all processes), from /proc/stat; NaN where unavailable. */
  machineMs: number;
  /** Wall time × cores: what the machine could have done. */
  capacityMs: number;
}

interface Snapshot {
  elu: EventLoopUtilization;
  cpu: NodeJS.CpuUsage;
  machine: { busy: number; total: number } | undefined;
  wall: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function machine(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3]! + fields[4]!;
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return undefined;
  }
}

export function cpuStart(): Snapshot {
  return { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), machine: machine(), wall: performance.now() };
}

export function cpuStop(start: Snapshot): CpuSpent {
  const elu = performance.eventLoopUtilization(start.elu);
  const cpu = process.cpuUsage(start.cpu);
  const end = machine();
  return {
    threadMs: elu.active,
    processMs: (cpu.user + cpu.system) / 1000,
    machineMs: start.machine && end ? end.busy - start.machine.busy : Number.NaN,
    capacityMs: start.machine && end ? end.total - start.machine.total : Number.NaN,
  };
}
