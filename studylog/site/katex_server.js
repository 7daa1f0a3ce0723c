// One long-lived KaTeX runtime for a whole build. It reads JSON requests, one per line, on stdin and
// answers each with one JSON line on stdout, in order:
//   {"tex": "...", "display": true, "macros": {...}}   ->  {"html": "..."} or {"error": "..."}
//   {"batch": [["tex", true], ...], "macros": {...}}    ->  {"results": [[true, "html"], [false, "error"], ...]}
// A batch answers many formulas with one line each way: the client writes the next batch while this
// process renders, so neither side waits on a round trip per formula.
"use strict";
const katex = require(process.env.STUDYLOG_KATEX || "katex");
const readline = require("readline");

function render(tex, display, macros, output) {
  return katex.renderToString(tex, {
    displayMode: !!display,
    throwOnError: true,
    trust: false, // \href, \url, \htmlId, \includegraphics stay inert
    strict: "ignore",
    maxSize: 50,
    maxExpand: 1000,
    macros: Object.assign({}, macros || {}), // a copy: \gdef in one formula cannot leak into the next
    output: output || "htmlAndMathml",
  });
}

function message(err) {
  return String(err && err.message ? err.message : err);
}

process.stdout.write(JSON.stringify({ version: katex.version }) + "\n");
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let reply;
  try {
    const req = JSON.parse(line);
    if (Array.isArray(req.batch)) {
      const results = req.batch.map(([tex, display]) => {
        try {
          return [true, render(tex, display, req.macros, req.output)];
        } catch (err) {
          return [false, message(err)];
        }
      });
      reply = { results };
    } else {
      reply = { html: render(req.tex, req.display, req.macros, req.output) };
    }
  } catch (err) {
    reply = { error: message(err) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
