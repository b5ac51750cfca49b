// citation-js on the benchmarks' own corpus. bench/_citation_js.py starts this once with a
// spec file
//   {"items": "items.json", "write": ["bibtex", "ris"], "read": {"bibtex": "x.bib"}}
// and then writes "run" lines on stdin: for each, every step runs once and one JSON line
// comes back on stdout with the version and, per step, the CPU time (process.cpuUsage,
// user + system, all threads), the wall time and the number of entries written or read
// (so a step that silently drops records shows). One process for all rounds, as on the
// Python side: the first round warms V8's compiler up, the least time is the warm one.
//
// Writing is citation-js's output plugin on CSL-JSON data (plugins.output.format), reading is
// its input chain on the text (plugins.input.chain, no graph): the same work refconv's
// write(items) and read(text) do. Install with `npm ci --prefix bench/_node`.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { plugins } = require('@citation-js/core');
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-ris');

const READ_TYPES = { bibtex: '@bibtex/text', biblatex: '@biblatex/text', ris: '@ris/file' };
const ENTRY_START = { bibtex: /^@/gm, biblatex: /^@/gm, ris: /^TY {2}- /gm };

function timed(work) {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = work();
  const cpu = process.cpuUsage(cpuStart);
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
  return { cpu: (cpu.user + cpu.system) / 1e6, wall, result };
}

function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const version = require('@citation-js/core/package.json').version;
  const json = fs.readFileSync(spec.items, 'utf8');
  const texts = {};
  for (const [format, path] of Object.entries(spec.read || {})) {
    texts[format] = fs.readFileSync(path, 'utf8');
  }
  const round = () => {
    const out = { version, node: process.version, write: {}, read: {} };
    for (const format of spec.write || []) {
      // a fresh copy each run: the output plugins must not see data an earlier run touched
      const data = JSON.parse(json);
      const step = timed(() => plugins.output.format(format, data));
      const count = (step.result.match(ENTRY_START[format]) || []).length;
      out.write[format] = { cpu: step.cpu, wall: step.wall, count };
    }
    for (const [format, text] of Object.entries(texts)) {
      const options = { forceType: READ_TYPES[format], generateGraph: false };
      const step = timed(() => plugins.input.chain(text, options));
      out.read[format] = { cpu: step.cpu, wall: step.wall, count: step.result.length };
    }
    return out;
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'run') {
      process.stdout.write(JSON.stringify(round()) + '\n');
    } else {
      lines.close();
    }
  });
}

main();
