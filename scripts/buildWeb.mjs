// Builds the console (web/) into dist/web with Vite, then writes a .br and a .gz beside each asset
// for the server to send as they are. Skips the build when nothing it is made from has changed
// since the last one, so that `npm start` and `npm test` can run it every time. --force rebuilds.
/* global console */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const stampFile = join(out, '.build-stamp');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** What the build is made from: the page sources, the API contract they are typed by, and the locked packages. */
function sourceHash() {
  const hash = createHash('sha256');
  const inputs = [...files(join(root, 'web')), join(root, 'src', 'web', 'api', 'contract.ts'), join(root, 'package-lock.json')].sort();
  for (const file of inputs) hash.update(relative(root, file)).update(readFileSync(file));
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const stamp = sourceHash();
if (!force && existsSync(join(out, 'console', 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('web: dist/web is up to date');
  process.exit(0);
}

const started = Date.now();
// Always the production build: run from the test setup, NODE_ENV=test would get React's development build.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({ configFile: join(root, 'web', 'vite.config.mts') });
let raw = 0;
let brotli = 0;
for (const file of files(join(out, 'console', 'assets')).filter((f) => /\.(js|css|svg)$/.test(f))) {
  const bytes = readFileSync(file);
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  raw += statSync(file).size;
  brotli += br.length;
}
writeFileSync(stampFile, stamp);
console.log(`web: built dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s (assets ${(raw / 1024).toFixed(0)} KB, ${(brotli / 1024).toFixed(0)} KB brotli)`);
