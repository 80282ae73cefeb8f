import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');

/** `npm run device-sim -- …` from the repository root, as the README says to run it. */
async function deviceSim(args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'device-sim', '--', ...args], { cwd: REPO, env: { ...process.env, RELAY_URL: 'http://127.0.0.1:9' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run device-sim -- --help', () => {
  it('prints the scenes, every option and the environment, and exits 0 without needing a relay', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await deviceSim([flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^device-sim: /);
      for (const item of ['cockpit', 'earphones', '--frames DIR', '--cockpit-transcript FILE', '--earphones-transcript FILE', 'RELAY_URL', 'DEVICE_MQTT_URL', 'PAIRING_CODE']) {
        expect(stdout).toContain(item);
      }
    }
  }, 60_000);

  it('refuses an unknown argument and points to the help', async () => {
    const { code, stderr } = await deviceSim(['--fast']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown argument --fast');
    expect(stderr).toContain('device-sim --help');
  }, 60_000);
});
