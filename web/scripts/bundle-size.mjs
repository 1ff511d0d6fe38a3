// Prints the built dashboard's size: every file in dist/ raw and gzipped (level 9), the total,
// and what the first page load fetches (index.html and the assets it references).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else files.push(file);
  }
};
walk(dist);
let raw = 0;
let gzipped = 0;
for (const file of files.sort()) {
  const size = statSync(file).size;
  const g = gz(file);
  raw += size;
  gzipped += g;
  console.log(`${path.relative(dist, file).padEnd(40)} ${String(size).padStart(8)} B  ${String(g).padStart(7)} B gzipped`);
}
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
const initialGzipped = initial.reduce((sum, f) => sum + gz(path.join(dist, f)), gz(path.join(dist, 'index.html')));
console.log(`total: ${(raw / 1024).toFixed(1)} KiB, gzipped ${(gzipped / 1024).toFixed(1)} KiB`);
console.log(`first load (index.html + ${initial.join(', ')}): gzipped ${(initialGzipped / 1024).toFixed(1)} KiB`);
