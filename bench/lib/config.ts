/**
 * Knobs shared by every suite, from the environment. BENCH_QUICK=1 is a
 * smoke run (seconds); the defaults aim at well under three minutes for the
 * whole bench on a shared two-core machine.
 */
export interface BenchConfig {
  quick: boolean;
  /** Measured rounds per compared group; the kinds of a group alternate inside each round. */
  rounds: number;
  /** Target length of one kind's slice of a round. */
  roundMs: number;
  /** Operations of each kind before measuring (JIT, caches, connection pools). */
  warmupOps: number;
  /** In-flight requests to measure at. */
  concurrency: number[];
  /** Sequential samples per MQTT case. */
  mqttSamples: number;
  /** Time cap of one MQTT case (at least 30 samples are taken). */
  mqttMaxMs: number;
  /** Sequential authorizations in the instrumented statement profile. */
  profileOps: number;
  /** Take a V8 CPU profile of the in-process authorization (writes a .cpuprofile next to the results). */
  cpuProfile: boolean;
  /** Stores to run: pglite, postgres. */
  stores: string[];
  /** MQTT brokers to run: embedded, mosquitto (the shared one at :1883), mosquitto-nodelay (a private one with set_tcp_nodelay). */
  brokers: string[];
}

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} is not a positive number`);
  return value;
}

function list(name: string, fallback: string[]): string[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

export function loadConfig(): BenchConfig {
  const quick = flag('BENCH_QUICK', false);
  return {
    quick,
    rounds: Math.round(num('BENCH_ROUNDS', quick ? 1 : 3)),
    roundMs: num('BENCH_ROUND_MS', quick ? 150 : 1000),
    warmupOps: Math.round(num('BENCH_WARMUP_OPS', quick ? 16 : 120)),
    concurrency: list('BENCH_CONCURRENCY', ['1', '8']).map(Number),
    mqttSamples: Math.round(num('BENCH_MQTT_SAMPLES', quick ? 30 : 300)),
    mqttMaxMs: num('BENCH_MQTT_MAX_MS', quick ? 3000 : 8000),
    profileOps: Math.round(num('BENCH_PROFILE_OPS', quick ? 30 : 300)),
    cpuProfile: flag('BENCH_CPUPROFILE', !quick),
    stores: list('BENCH_STORES', ['pglite', 'postgres']),
    brokers: list('BENCH_BROKERS', ['embedded', 'mosquitto', 'mosquitto-nodelay']),
  };
}
