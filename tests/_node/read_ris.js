// Reads RIS on stdin with citation-js (@citation-js/plugin-ris), prints CSL-JSON on stdout.
// Used by tests/test_ris_interop.py; exits non-zero if citation-js throws.
'use strict';
const { Cite } = require('@citation-js/core');
require('@citation-js/plugin-ris');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const cite = new Cite(input, { forceType: '@ris/file', generateGraph: false });
  process.stdout.write(JSON.stringify(cite.data.map(({ _graph, ...item }) => item)));
});
