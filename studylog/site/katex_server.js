// One long-lived KaTeX runtime for a whole build: reads JSON requests, one per line, on stdin and
// answers each with one JSON line on stdout: {"html": "..."} or {"error": "..."}.
"use strict";
const katex = require(process.env.STUDYLOG_KATEX || "katex");
const readline = require("readline");

process.stdout.write(JSON.stringify({ version: katex.version }) + "\n");
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let reply;
  try {
    const req = JSON.parse(line);
    const html = katex.renderToString(req.tex, {
      displayMode: !!req.display,
      throwOnError: true,
      trust: false, // \href, \url, \htmlId, \includegraphics stay inert
      strict: "ignore",
      maxSize: 50,
      maxExpand: 1000,
      macros: Object.assign({}, req.macros || {}),
      output: req.output || "htmlAndMathml",
    });
    reply = { html };
  } catch (err) {
    reply = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
