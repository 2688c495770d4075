/**
 * Summarises a V8 CPU profile (what BENCH_CPU_PROF=true has the server write): the functions with
 * the most self time, and self time by where the code lives (dandang's own, each package, Node).
 *
 *   npx tsx bench/profile.ts PROFILE.cpuprofile [how many, default 30] [FROM TO]
 *
 * FROM and TO (µs of the monotonic clock, which the profile's timestamps and process.hrtime share
 * on Linux, as the benches print them) keep only the samples taken between them: the measured load
 * without the start-up and the drain.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: a package, dandang's own code, Node's internals, or V8 (GC, idle…). */
function origin(url: string): string {
  if (!url) return '(V8: native code, GC)';
  if (url.startsWith('node:')) return 'node internals';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  const own = /\/dist\/(src|conversations|migrations)\//.exec(url);
  return own ? `dandang ${own[1]}/` : url;
}

function main(): void {
  const [path, count = '30', from = '0', to = 'Infinity'] = process.argv.slice(2);
  if (!path) {
    console.error('usage: npx tsx bench/profile.ts PROFILE.cpuprofile [how many] [FROM TO]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= Number(from) && at <= Number(to)) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;

  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const file = url.replace(/^.*\/(node_modules|dist)\//, '$1/');
    add(byFunction, `${functionName || '(anonymous)'}  ${file ? `${file}:${lineNumber + 1}` : ''}`, us);
    add(byOrigin, origin(url), us);
  }
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  console.log(`\n${path}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %)\n`);
  console.log('self time by where the code lives (share of busy time):');
  for (const [key, us] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${share(us)}  ${key}`);
  console.log(`\ntop ${count} functions by self time:`);
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) console.log(`  ${share(us)}  ${key}`);
  console.log('');
}

main();
