#!/usr/bin/env node
// Bench-only: citeproc-js (the engine in Zotero and Mendeley) formats a plain-text
// bibliography of a CSL-JSON file, as bench/bench_citation.py's peer.
//
//   node bench/_citeproc_js.js ITEMS.json STYLE.csl LOCALES_DIR OUT.txt
//
// citeproc comes from tests/_node_citeproc (npm ci --prefix tests/_node_citeproc). Prints
// one JSON line: entries written and the CPU seconds of the formatting alone (engine
// set-up, updateItems, makeBibliography), the "in-process" figure.

"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require(path.join(__dirname, "..", "tests", "_node_citeproc", "node_modules", "citeproc"));

const [itemsPath, stylePath, localesDir, outPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const style = fs.readFileSync(stylePath, "utf8");
const lang = (/<style\b[^>]*default-locale="([^"]+)"/.exec(style) || [null, "en-US"])[1];

const start = process.cpuUsage();
const byId = new Map(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale: (name) => {
    const file = path.join(localesDir, `locales-${name}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem: (id) => byId.get(id),
};
const engine = new CSL.Engine(sys, style, lang);
engine.setOutputFormat("text");
engine.updateItems([...byId.keys()]);
const [, entries] = engine.makeBibliography();
const used = process.cpuUsage(start);
fs.writeFileSync(outPath, entries.join(""));
const cpu = (used.user + used.system) / 1e6;
process.stdout.write(JSON.stringify({ entries: entries.length, cpu }) + "\n");
