// citation-js on the benchmarks' own corpus: bench/_citation_js.py runs this with a spec file
//   {"repeat": 3, "items": "items.json", "write": ["bibtex", "ris"], "read": {"bibtex": "x.bib"}}
// and reads one JSON object from stdout: the version, and for each step the least CPU time
// (process.cpuUsage, user + system, all threads) and wall time over `repeat` runs, plus the
// number of entries written or read (so a step that silently drops records shows).
//
// Writing is citation-js's output plugin on CSL-JSON data (plugins.output.format), reading is
// its input chain on the text (plugins.input.chain, no graph): the same work refconv's
// write(items) and read(text) do. Install with `npm ci --prefix bench/_node`.
'use strict';
const fs = require('fs');
const { plugins } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-ris');

const READ_TYPES = { bibtex: '@bibtex/text', biblatex: '@biblatex/text', ris: '@ris/file' };
const ENTRY_START = { bibtex: /^@/gm, biblatex: /^@/gm, ris: /^TY {2}- /gm };

function seconds(cpu) {
  return (cpu.user + cpu.system) / 1e6;
}

function best(repeat, prepare, work) {
  let cpuBest = Infinity;
  let wallBest = Infinity;
  let result;
  for (let run = 0; run < repeat; run += 1) {
    const input = prepare();
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    result = work(input);
    const cpu = seconds(process.cpuUsage(cpuStart));
    const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
    cpuBest = Math.min(cpuBest, cpu);
    wallBest = Math.min(wallBest, wall);
  }
  return { cpu: cpuBest, wall: wallBest, result };
}

function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const repeat = spec.repeat || 3;
  const version = require('@citation-js/core/package.json').version;
  const out = { version, node: process.version, write: {}, read: {} };
  const json = fs.readFileSync(spec.items, 'utf8');
  for (const format of spec.write || []) {
    // a fresh copy each run: the output plugins must not see data an earlier run touched
    const step = best(
      repeat,
      () => JSON.parse(json),
      (data) => plugins.output.format(format, data),
    );
    const count = (step.result.match(ENTRY_START[format]) || []).length;
    out.write[format] = { cpu: step.cpu, wall: step.wall, count };
  }
  for (const [format, path] of Object.entries(spec.read || {})) {
    const text = fs.readFileSync(path, 'utf8');
    const step = best(
      repeat,
      () => text,
      (input) => plugins.input.chain(input, { forceType: READ_TYPES[format], generateGraph: false }),
    );
    out.read[format] = { cpu: step.cpu, wall: step.wall, count: step.result.length };
  }
  process.stdout.write(JSON.stringify(out));
}

main();
