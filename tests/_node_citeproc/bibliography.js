#!/usr/bin/env node
// Test-only: citeproc-js's plain-text bibliography for one style and some items, so a test
// can show how citeproc-js itself behaves where refconv's output differs from the goldens.
//
//   echo '{"style": "<style ...>", "items": [...], "locales": DIR}' | node bibliography.js
//
// Prints a JSON list of entries. Items go to citeproc-js exactly as given.

"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const { style, items, locales } = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale: (lang) => {
    const file = path.join(locales, `locales-${lang}.xml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
  },
  retrieveItem: (id) => JSON.parse(JSON.stringify(byId[id])),
};
const engine = new CSL.Engine(sys, style, "en-US");
engine.setOutputFormat("text");
engine.updateItems(Object.keys(byId));
const [, entries] = engine.makeBibliography();
process.stdout.write(JSON.stringify(entries.map((entry) => entry.replace(/\n$/, ""))) + "\n");
