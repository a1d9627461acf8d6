// The check history in the portal, as a person reads it in headless Chromium: each endpoint row
// of a health table (and an endpoint in a list) ends with what the history says of its live
// check: "verified on local 3 h ago", its pass rate, "flaky", "stale", "failed in its last run".
// The history is real: opsbook check --live against a local server whose answers change between
// runs, each report recorded with opsbook history record (its start time set back, as if the runs
// had been hours and days ago), then opsbook build.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { runOpsbook } from "./opsbook.mjs";

const binary = process.env.OPSBOOK_BINARY;
assert.ok(binary, "OPSBOOK_BINARY must be set");

let work, browser;

// What each path answers in each run (oldest first): 200 or 503.
const answers = {
  "/healthz": [200, 200, 200],
  "/ready": [200, 503, 200],
  "/old": [200, 503, 503],
  "/live": [200, 200, 200],
};
// When each run started, seconds before now: 10 days, 5 h and 3 h ago.
const ages = [10 * 86400, 5 * 3600, 3 * 3600];

// opsbook in `work`, asynchronously (the test's own HTTP server must answer meanwhile).
const opsbook = (args) => runOpsbook(binary, args, work);

before(async () => {
  work = mkdtempSync(join(tmpdir(), "opsbook-history-"));
  let run = 0;
  const server = http.createServer((req, res) => {
    const codes = answers[new URL(req.url, "http://x").pathname];
    res.writeHead(codes ? codes[run] : 404);
    res.end("ok");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  mkdirSync(join(work, "content"));
  writeFileSync(join(work, "opsbook.yaml"), "content: content\ndefault_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
  writeFileSync(join(work, "content", "api.md"), [
    "# API", "", "## Health checks", "",
    "| Service | Endpoint | Expected |",
    "|---------|----------|----------|",
    `| api | ${base}/healthz | 200 |`,
    `| worker | ${base}/ready | 200 |`,
    `| legacy | ${base}/old | 200 |`,
    `| never | ${base}/unchecked-by-history | 200 |`,
    "", "## Probes", "",
    `- Liveness endpoint: \`${base}/live\` (api)`, "",
  ].join("\n"));
  try {
    for (run = 0; run < ages.length; ++run) {
      const report = join(work, `run${run}.json`);
      const check = await opsbook(["check", "--live", "--retries", "0", "--format", "json", "-o", report, "content/api.md"]);
      assert.ok(check.status === 0 || check.status === 1, check.stderr);
      const json = JSON.parse(readFileSync(report, "utf8"));
      json.generated_at = new Date(Date.now() - ages[run] * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      writeFileSync(report, JSON.stringify(json));
      const record = await opsbook(["history", "record", "--run-id", `run-${run}`, report]);
      assert.equal(record.status, 0, record.stderr);
    }
  } finally {
    server.close();
  }
  // The row without history: its check is not in any recorded run (the page must say nothing).
  writeFileSync(join(work, "content", "api.md"), readFileSync(join(work, "content", "api.md"), "utf8").replace("unchecked-by-history", "added-later"));
  const build = await opsbook(["build", "content", "-o", "site", "--no-report"]);
  assert.ok(build.status === 0 || build.status === 1, build.stderr);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
});

after(async () => {
  if (browser) await browser.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function page() {
  const context = await browser.newContext();
  await context.route(/^(https?|wss?):\/\//, (route) => route.abort());  // file:// only
  const p = await context.newPage();
  await p.goto(pathToFileURL(join(work, "site", "runbooks", "api.html")).href);
  await p.locator("time.history-age[title]").first().waitFor({ timeout: 10000 });  // the script said how long ago
  return { context, p };
}

// The visible text of the table row that holds `text`, cells separated by " | ".
async function row(p, text) {
  return p.locator("tr", { hasText: text }).evaluate((tr) => Array.from(tr.cells, (c) => c.innerText.trim()).join(" | "));
}

test("each endpoint row of a health table ends with its check history", async () => {
  const { context, p } = await page();
  assert.equal(await row(p, "/healthz"), `api | ${"http://127.0.0.1"}:${await port(p)}/healthz | 200 history: verified on local 3 h ago; passed 3 of 3 (100%)`);
  assert.equal(await row(p, "/ready"), `worker | http://127.0.0.1:${await port(p)}/ready | 200 history: verified on local 3 h ago; passed 2 of 3 (67%); flaky`);
  assert.equal(await row(p, "/old"),
    `legacy | http://127.0.0.1:${await port(p)}/old | 200 history: failed in its last run; stale: last verified on local 10 days ago; passed 1 of 3 (33%); flaky`);
  assert.equal(await row(p, "/added-later"), `never | http://127.0.0.1:${await port(p)}/added-later | 200`);
  // The status reads as a colour too, and the exact time is in the tooltip.
  const ready = p.locator("tr", { hasText: "/ready" }).locator(".row-history");
  assert.match(await ready.getAttribute("class"), /\bstatus-verified\b/);
  assert.match(await p.locator("tr", { hasText: "/old" }).locator(".row-history").getAttribute("class"), /\bstatus-failing\b/);
  assert.match(await ready.locator("time").getAttribute("title"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await context.close();
});

test("an endpoint in a list item ends with its check history", async () => {
  const { context, p } = await page();
  const item = p.locator("li", { hasText: "Liveness endpoint" });
  // The item documents two checks of the URL (any 2xx or 3xx, and 2xx for the service api), each
  // found by its own digest: 3 runs each.
  assert.equal((await item.innerText()).trim(), `Liveness endpoint: http://127.0.0.1:${await port(p)}/live (api) history: verified on local 3 h ago; passed 6 of 6 (100%)`);
  await context.close();
});

// The port of the local server the runbook documents, as the page shows it.
async function port(p) {
  return (await p.locator("td", { hasText: "/healthz" }).innerText()).match(/127\.0\.0\.1:(\d+)/)[1];
}
