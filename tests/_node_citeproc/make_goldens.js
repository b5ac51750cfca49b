#!/usr/bin/env node
// Regenerates tests/golden/citation/*.json with citeproc-js, the CSL engine inside
// Zotero and Mendeley: the reference refconv's own CSL processor is compared with.
//
//   cd tests/_node_citeproc && npm ci && node make_goldens.js --locales DIR
//
// DIR is citeproc-py's locale folder, so both engines use the same locale files:
//   python -c "import citeproc, os; print(os.path.join(os.path.dirname(citeproc.__file__), 'data', 'locales'))"
//
// Inputs (all in tests/golden/citation/): examples.json (the repository's example records, as
// `refconv convert examples/000_499a5861f67c187d.txt examples/records/*.txt examples/records.json
// -t csl-json` writes them), corpus.json (hand-assembled CSL-JSON items), both cited in that
// order, and clusters.json (extra citation clusters). Styles: every .csl file in
// converters/formatting/styles/; a dependent style is rendered with its parent's rules and
// its own default locale. Items are handed over as withEventAliases below says. Output: one
// <style>.json per style with the bibliography entries (text and HTML, in citeproc-js
// order) and one citation per item plus the extra clusters (each rendered on its own, as
// makeCitationCluster does).

"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const ROOT = path.resolve(__dirname, "..", "..");
const GOLDEN = path.join(ROOT, "tests", "golden", "citation");
const STYLES = path.join(ROOT, "converters", "formatting", "styles");

function argument(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const localesDir = argument("--locales");
if (!localesDir || !fs.existsSync(path.join(localesDir, "locales-en-US.xml"))) {
  console.error("usage: node make_goldens.js --locales DIR (citeproc-py's data/locales folder)");
  process.exit(2);
}
const only = argument("--style");

const items = [
  ...JSON.parse(fs.readFileSync(path.join(GOLDEN, "examples.json"), "utf8")),
  ...JSON.parse(fs.readFileSync(path.join(GOLDEN, "corpus.json"), "utf8")),
];
const extraClusters = JSON.parse(fs.readFileSync(path.join(GOLDEN, "clusters.json"), "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));
const ids = items.map((item) => String(item.id));

function header(xml) {
  const parent = /<link\s+href="([^"]+)"\s+rel="independent-parent"/.exec(xml)
    || /<link\s+rel="independent-parent"\s+href="([^"]+)"/.exec(xml);
  const locale = /<style\b[^>]*default-locale="([^"]+)"/.exec(xml);
  return {
    parent: parent ? parent[1].replace(/\/$/, "").split("/").pop() : null,
    locale: locale ? locale[1] : null,
  };
}

function retrieveLocale(lang) {
  const file = path.join(localesDir, `locales-${lang}.xml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false;
}

// CSL 1.0.2 renamed the variable "event" to "event-title" and keeps "event" as its
// deprecated alias, so a style may ask for either. citeproc-js looks a variable up by
// the name the style uses and aliases neither, so each item is handed over under both
// names, as a processor that follows CSL 1.0.2 reads it. citation-js's plugin-csl
// prepares items for citeproc-js the same way (core util.downgradeCsl copies
// "event-title" into "event"). Fed only "event-title", citeproc-js prints
// "presented at." with no event name in styles that ask for "event" (IEEE, NLM).
function withEventAliases(item) {
  const copy = JSON.parse(JSON.stringify(item));
  if ("event-title" in copy && !("event" in copy)) copy.event = copy["event-title"];
  else if ("event" in copy && !("event-title" in copy)) copy["event-title"] = copy.event;
  return copy;
}

function engineFor(xml, lang, format, forceLang) {
  const sys = {
    retrieveLocale,
    retrieveItem: (id) => withEventAliases(byId[id]),
  };
  // as Zotero does, a dependent style's own default-locale overrides its parent's
  const engine = new CSL.Engine(sys, xml, lang, forceLang);
  engine.setOutputFormat(format);
  engine.updateItems(ids);
  return engine;
}

function bibliography(engine) {
  if (!engine.bibliography) return null;
  const [params, entries] = engine.makeBibliography();
  // entries that render nothing are left out of `entries` but not of `entry_ids`
  const empty = new Set((params.bibliography_errors || []).map((e) => String(e.itemID)));
  const kept = params.entry_ids.map((e) => String(e[0])).filter((id) => !empty.has(id));
  if (kept.length !== entries.length) throw new Error("citeproc-js: entries and ids disagree");
  return kept.map((id, i) => ({ id, entry: entries[i] }));
}

function htmlEntry(entry) {
  return entry.replace(/^ {2}<div class="csl-entry">/, "").replace(/<\/div>\n$/, "");
}

function render(name) {
  const own = fs.readFileSync(path.join(STYLES, `${name}.csl`), "utf8");
  const info = header(own);
  let xml = own;
  let locale = info.locale;
  const forceLang = Boolean(info.parent && info.locale);
  if (info.parent) {
    xml = fs.readFileSync(path.join(STYLES, `${info.parent}.csl`), "utf8");
    locale = locale || header(xml).locale;
  }
  locale = locale || "en-US";
  const text = engineFor(xml, locale, "text", forceLang);
  const html = engineFor(xml, locale, "html", forceLang);
  const result = {
    style: name,
    parent: info.parent,
    locale,
    engine: `citeproc-js ${CSL.PROCESSOR_VERSION}`,
    bibliography: [],
    citations: [],
  };
  const textBib = bibliography(text);
  const htmlBib = bibliography(html);
  if (textBib) {
    const htmlById = Object.fromEntries(htmlBib.map((e) => [e.id, htmlEntry(e.entry)]));
    result.bibliography = textBib.map((e) => ({
      id: e.id,
      text: e.entry.replace(/\n$/, ""),
      html: htmlById[e.id],
    }));
  }
  const clusters = [...ids.map((id) => [{ id }]), ...extraClusters];
  // citeproc-js prints "[NO_PRINTED_FORM]" for a citation that renders nothing
  const cite = (engine, cluster) => engine.makeCitationCluster(cluster).replace("[NO_PRINTED_FORM]", "");
  for (const cluster of clusters) {
    result.citations.push({ cluster, text: cite(text, cluster), html: cite(html, cluster) });
  }
  return result;
}

const names = fs
  .readdirSync(STYLES)
  .filter((f) => f.endsWith(".csl"))
  .map((f) => f.slice(0, -4))
  .filter((n) => !only || n === only)
  .sort();
for (const name of names) {
  const result = render(name);
  fs.writeFileSync(path.join(GOLDEN, `${name}.json`), JSON.stringify(result, null, 1) + "\n");
  console.log(`${name}: ${result.bibliography.length} entries, ${result.citations.length} citations`);
}
