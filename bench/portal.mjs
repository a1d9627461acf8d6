// Bytes moved for the first view of portal pages, in Chromium (playwright-core) over a local static
// server on 127.0.0.1 that counts the bytes it serves (as served: no compression). Each view is a
// fresh browser context (empty cache). Run by bench/portal.sh.
//   node bench/portal.mjs SITE WORD...
import { createRequire } from "node:module";
import { readFileSync, existsSync, statSync, readdirSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import http from "node:http";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");

const [site, ...words] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
let served = [];
const server = http.createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = join(site, path);
  if (!file.startsWith(site)) { res.writeHead(403); res.end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  const body = readFileSync(file);
  served.push({ path, bytes: body.length });
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

// Loads `url` in a fresh context, waits until `ready` is visible and the network is idle, and
// returns the bytes served for it.
async function view(url, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(/^(https?|wss?):\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  served = [];
  await page.goto(base + url);
  await page.locator(ready).first().waitFor({ state: "visible", timeout: 30000 });
  await page.waitForLoadState("networkidle");
  const files = served;
  await context.close();
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const search = files.filter((f) => f.path.startsWith("/search/")).reduce((n, f) => n + f.bytes, 0);
  return { total, search, requests: files.length };
}

// A runbook page of median size, and the largest.
const pages = [];
(function walk(dir, rel) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), rel + e.name + "/");
    else if (e.name.endsWith(".html")) pages.push({ url: "runbooks/" + rel + e.name, size: statSync(join(dir, e.name)).size });
  }
})(join(site, "runbooks"), "");
pages.sort((a, b) => a.size - b.size || (a.url < b.url ? -1 : 1));
const median = pages[Math.floor(pages.length / 2)];
const largest = pages[pages.length - 1];

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
const rows = [];
const row = (label, r, target, budget) => rows.push(`${label.padEnd(52)} ${kb(budget === "search" ? r.search : r.total)} ${String(r.requests).padStart(5)} req   target <= ${target} KB`);
row("index.html (first view, sidebar drawn)", await view("index.html", "#nav-tree li"), 150);
row(`runbook page, median size (${median.url})`.slice(0, 52), await view(median.url, "#nav-tree a[aria-current]"), 150);
row(`runbook page, largest (${largest.size} B of HTML)`, await view(largest.url, "#nav-tree a[aria-current]"), 150);
for (const word of words) {
  const r = await view("search.html?q=" + encodeURIComponent(word), "#search-results li");
  row(`search '${word}': index and fragments, first screen`, r, 100, "search");
  rows.push(`${"  the whole view (page, scripts, css)".padEnd(52)} ${kb(r.total)}`);
}
console.log(`${"view".padEnd(52)} ${"bytes".padStart(10)} ${"req".padStart(5)}`);
for (const r of rows) console.log(r);
await browser.close();
server.close();
