/**
 * A relay-like process for the lock tests: takes the data folder given as
 * argv[2] (heartbeat argv[3] ms), says "locked", and holds it until killed.
 */
import { lockDataDir } from '../src/store/lock.ts';

const [dir, heartbeatMs] = process.argv.slice(2);
await lockDataDir(dir!, { heartbeatMs: Number(heartbeatMs) });
process.stdout.write('locked\n');
setInterval(() => undefined, 1 << 30);
