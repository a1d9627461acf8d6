// opsbook serve in headless Chromium: a saved edit shows without a manual reload (scroll kept),
// only the pages a build changed reload, a broken runbook or opsbook.yaml shows an overlay with
// file:line and clears when fixed, a new check report brings its badges, a run recorded in the
// check history while serving shows beside its snippet, and only requests for 127.0.0.1/localhost
// are answered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import http from "node:http";
import net from "node:net";
import { chromium } from "playwright-core";
import { runOpsbook } from "./opsbook.mjs";

const binary = process.env.OPSBOOK_BINARY;
const content = process.env.OPSBOOK_CONTENT;
assert.ok(binary && content, "OPSBOOK_BINARY and OPSBOOK_CONTENT must be set");

let work, server, base, browser, log = "";

before(async () => {
  work = mkdtempSync(join(tmpdir(), "opsbook-serve-"));
  cpSync(content, join(work, "content"), { recursive: true });
  writeFileSync(join(work, "opsbook.yaml"), "site: {title: Preview}\ncontent: content\n");
  server = spawn(binary, ["serve", "--port", "0"], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
  server.stderr.on("data", (d) => { log += d; });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start: " + log)), 20000);
    server.stderr.on("data", () => {
      const m = log.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", (code) => reject(new Error(`serve exited ${code}: ${log}`)));
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const exited = new Promise((resolve) => server.on("exit", resolve));
    server.kill("SIGINT");
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
  await context.route(/^(https?|wss?):\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + path);
  // The reload script's event stream is open.
  await page.waitForFunction(() => document.documentElement.getAttribute("data-opsbook-serve") === "listening");
  return { context, page };
}

const runbook = () => join(work, "content", "orders-database.md");
const edit = (from, to) => writeFileSync(runbook(), readFileSync(runbook(), "utf8").replace(from, to));

test("a page opened before any edit stays as it is until a build changes it", async () => {
  const { context, page } = await open("runbooks/orders-database.html");
  await page.evaluate(() => { window.__kept = true; });
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__kept), true, "no reload without a change");
  await context.close();
});

test("a saved edit shows in the open page without a manual reload, at the same scroll position", async () => {
  const { context, page } = await open("runbooks/orders-database.html");
  await page.evaluate(() => window.scrollTo(0, 400));
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(y > 300, "the page scrolls");
  await page.evaluate(() => { window.__notReloaded = true; });
  const reloaded = page.waitForEvent("load");
  edit("## Reset the staging data", "## Reset the staging data\n\nSaved while the preview was open.");
  await reloaded;
  assert.equal(await page.evaluate(() => window.__notReloaded), undefined, "the page was reloaded");
  assert.equal(await page.getByText("Saved while the preview was open.").isVisible(), true);
  await page.waitForFunction((want) => Math.abs(window.scrollY - want) < 5, y);
  await context.close();
});

test("a build reloads only the pages it changed", async () => {
  const { context, page: other } = await open("runbooks/session-cache.html");
  await other.evaluate(() => { window.__kept = true; });
  const { context: edited, page } = await open("runbooks/orders-database.html");
  const reloaded = page.waitForEvent("load");
  edit("Saved while the preview was open.", "Saved twice.");
  await reloaded;
  assert.equal(await page.getByText("Saved twice.").isVisible(), true);
  await other.waitForTimeout(300);
  assert.equal(await other.evaluate(() => window.__kept), true, "an unchanged page stays as it was");
  await context.close();
  await edited.close();
});

test("a broken runbook shows an overlay with file:line instead of a stale page; fixing it clears it", async () => {
  const { context, page } = await open("runbooks/orders-database.html");
  const reloaded = page.waitForEvent("load");
  edit("## Backup", "```bash\necho never closed\n\n## Backup");
  await reloaded;
  const overlay = page.locator("#opsbook-serve-overlay");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/orders-database\.md:\d+:1: error\[unclosed-fence\]/);
  const box = await overlay.boundingBox();
  const view = page.viewportSize();
  assert.ok(box.width >= view.width - 1 && box.height >= view.height - 1, "the overlay covers the page");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Close", "focus on its Close button");
  const fixed = page.waitForEvent("load");
  edit("```bash\necho never closed\n\n## Backup", "## Backup");
  await fixed;
  assert.equal(await overlay.count(), 0, "no overlay once the runbook is fixed");
  await context.close();
});

test("a broken opsbook.yaml shows its file:line over the last good page; fixing it brings the page back", async () => {
  const { context, page } = await open("index.html");
  const overlay = page.locator("#opsbook-serve-overlay");
  writeFileSync(join(work, "opsbook.yaml"), "site: {title: Preview\ncontent: content\n");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  assert.match(await overlay.textContent(), /opsbook\.yaml:1:7: invalid YAML: this \{ is never closed/);
  assert.equal(await page.locator(".runbook-list a").first().isVisible(), true, "the last good site is still served");
  const reloaded = page.waitForEvent("load");
  writeFileSync(join(work, "opsbook.yaml"), "site: {title: Preview again}\ncontent: content\n");
  await reloaded;
  assert.equal(await overlay.count(), 0);
  assert.match(await page.title(), /Preview again/);
  await context.close();
});

test("a new check report brings its badges to the open page", async () => {
  const { context, page } = await open("runbooks/orders-database.html");
  assert.match(await page.locator(".runbook-meta .badge").first().textContent(), /never verified/);
  // The results of a real live check of the runbook (in a copy: its own kept report stays out of
  // this project), each carrying the digest of what it checked, all made passes on "local".
  const elsewhere = mkdtempSync(join(tmpdir(), "opsbook-report-"));
  cpSync(join(work, "content"), join(elsewhere, "content"), { recursive: true });
  const checked = await runOpsbook(binary, ["check", "--live", "--no-shell", "--retries", "0", "--format", "json", "-o", "report.json", "content/orders-database.md"], elsewhere);
  assert.ok(checked.status <= 1, checked.stderr);
  const results = JSON.parse(readFileSync(join(elsewhere, "report.json"), "utf8")).results.map((r) => ({ ...r, outcome: "pass" }));
  rmSync(elsewhere, { recursive: true, force: true });
  assert.ok(results.length > 0 && results.every((r) => /^[0-9a-f]{32}$/.test(r.digest)));
  const reloaded = page.waitForEvent("load");
  mkdirSync(join(work, ".opsbook"), { recursive: true });
  const report = { version: 1, live: true, env: "local", generated_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"), findings: [], results };
  // Kept as opsbook check keeps it on this machine: sealed under the machine's key (docs/limits.md).
  const key = process.env.OPSBOOK_CACHE_KEY ||
              readFileSync(join(process.env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "opsbook", "seal-key"));
  // The seal covers a tag, the file's name, the environment and the report, each behind its 8-byte little-endian length.
  const mac = createHmac("sha256", key);
  for (const part of ["opsbook report", "last-check-local.json", "local", JSON.stringify(report)]) {
    const bytes = Buffer.from(part);
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(bytes.length));
    mac.update(size).update(bytes);
  }
  writeFileSync(join(work, ".opsbook", "last-check-local.json.seal"), mac.digest("hex") + "\n");
  writeFileSync(join(work, ".opsbook", "last-check-local.json.tmp"), JSON.stringify(report));
  renameSync(join(work, ".opsbook", "last-check-local.json.tmp"), join(work, ".opsbook", "last-check-local.json"));  // atomic, as opsbook keeps it
  await reloaded;
  // The seal and the report are two writes: a reload may come between them and show the page as it
  // was; the one after the report shows the badge.
  await page.waitForFunction(() => document.querySelector(".runbook-meta .badge")?.textContent !== "never verified", null, { timeout: 10000 }).catch(() => {});
  assert.equal(await page.locator(".runbook-meta .badge").first().textContent(), "verified live on local just now", "the badge says how old the check is");
  assert.match(await page.locator(".runbook-meta .badge").first().getAttribute("title"), /^checked \d{4}-/);
  assert.match(log, /badges from the live check on local just now/);
  await context.close();
});

test("scripts and styles are asked for again on every load, 304 while unchanged; pages are never kept", async () => {
  const first = await fetch(base + "assets/opsbook.js");
  const body = await first.text();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("cache-control"), "no-cache");
  const etag = first.headers.get("etag");
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const again = await fetch(base + "assets/opsbook.js", { headers: { "If-None-Match": etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
  const stale = await fetch(base + "assets/opsbook.js", { headers: { "If-None-Match": '"0000000000000000"' } });
  assert.equal(stale.status, 200);
  assert.equal(await stale.text(), body);
  // A page carries the build it shows: always sent whole, never stored.
  const page = await fetch(base + "index.html", { headers: { "If-None-Match": etag } });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("cache-control"), "no-store");
  assert.equal(page.headers.get("etag"), null);
  assert.match(await page.text(), /__opsbook\/reload\.js/);
});

test("requests for another host name are refused (no DNS rebinding)", async () => {
  const url = new URL(base);
  const status = (host) => new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port: url.port, path: "/index.html", headers: { Host: host } }, (res) => { res.resume(); resolve(res.statusCode); })
      .on("error", reject);
  });
  assert.equal(await status(`127.0.0.1:${url.port}`), 200);
  assert.equal(await status(`localhost:${url.port}`), 200);
  assert.equal(await status(`attacker.example:${url.port}`), 403);
  assert.equal(await status("127.0.0.1"), 403);
});

test("300 idle connections trickling headers do not keep a real request from its answer (s7b review)", async () => {
  const url = new URL(base);
  const sockets = [];
  for (let i = 0; i < 300; i++) {
    const s = net.connect(Number(url.port), "127.0.0.1");
    s.on("error", () => {});
    s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\n`);
    sockets.push(s);
  }
  // A header every 1.5 s, never the blank line that ends them (64 such connections were served,
  // about 128 stalled every other request).
  const trickle = setInterval(() => { for (const s of sockets) if (!s.destroyed) s.write(`X-Slow: ${Date.now()}\r\n`); }, 1500);
  try {
    await new Promise((resolve) => setTimeout(resolve, 4000));  // connected, each holding a thread
    const started = Date.now();
    const status = await new Promise((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: url.port, path: "/index.html", agent: false }, (res) => { res.resume(); resolve(res.statusCode); });
      req.setTimeout(15000, () => { req.destroy(); reject(new Error("no answer within 15 s")); });
      req.on("error", reject);
    });
    assert.equal(status, 200);
    assert.ok(Date.now() - started < 15000);
  } finally {
    clearInterval(trickle);
    for (const s of sockets) s.destroy();
  }
});

// opsbook in `work`, asynchronously (the test's own HTTP server must answer meanwhile).
const opsbook = (args) => runOpsbook(binary, args, work);

test("a run recorded in the check history while serving shows beside its snippet", async () => {
  const target = http.createServer((req, res) => res.end("ok"));
  await new Promise((resolve) => target.listen(0, "127.0.0.1", resolve));
  writeFileSync(join(work, "opsbook.yaml"), "site: {title: Preview}\ncontent: content\ndefault_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
  writeFileSync(join(work, "content", "probe.md"), `# Probe\n\n\`\`\`bash {name=ping}\ncurl -fsS http://127.0.0.1:${target.address().port}/ping\n\`\`\`\n`);
  const report = join(work, "probe-report.json");
  const check = await opsbook(["check", "--live", "--retries", "0", "--format", "json", "-o", report, "content/probe.md"]);
  target.close();
  assert.equal(check.status, 0, check.stderr);
  for (let i = 0; i < 200; ++i) {  // the page of the new runbook is built
    const status = await new Promise((resolve) => http.get(base + "runbooks/probe.html", (res) => { res.resume(); resolve(res.statusCode); }).on("error", () => resolve(0)));
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { context, page } = await open("runbooks/probe.html");
  const beside = page.locator('[data-snippet="ping"] .snippet-history');
  assert.equal(await beside.count(), 0, "no history yet");
  // Recorded by another process: nothing the server watches besides the history file changes.
  const record = await opsbook(["history", "record", "--run-id", "serve-1", report]);
  assert.equal(record.status, 0, record.stderr);
  await beside.waitFor({ state: "visible", timeout: 20000 });
  await beside.locator("time[title]").waitFor({ timeout: 5000 });  // the page's script said how long ago
  assert.equal(await beside.textContent(), "history: verified on local just now; passed 1 of 1 (100%)");
  assert.match(await beside.locator("time").getAttribute("title"), /^\d{4}-\d\d-\d\dT/);
  assert.match(await page.locator(".check-history li").first().textContent(), /^line 4 http http:\/\/127\.0\.0\.1:\d+\/ping #ping: verified on local just now; passed 1 of 1 \(100%\)$/);
  await context.close();
});
