// Runs are-the-types-wrong on the tarball pnpm publishes, from the package's folder.
// `attw --pack` packs with npm, which ignores `publishConfig.exports`: it would check a
// package.json other than the one users install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const destination = mkdtempSync(join(tmpdir(), 'tokengate-attw-'));
try {
  const packed = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
    encoding: 'utf8',
  });
  const { filename } = JSON.parse(packed);
  execFileSync('attw', [filename, '--profile', 'node16'], { stdio: 'inherit' });
} catch (error) {
  // attw has printed its findings; anything else (pnpm missing, bad JSON) is printed here.
  if (typeof error.status !== 'number') console.error(error);
  process.exitCode = 1;
} finally {
  rmSync(destination, { recursive: true, force: true });
}
