// The portal at scale, in headless Chromium: a generated 2,000-page site (nested folders and one
// flat folder of 450 runbooks), opened from file:// and over HTTP. What a person sees: the sidebar
// shows the current page's folder and opens others on demand, lists come in pages, search results
// come ten at a time as they are scrolled to, link to the section that matched, and the keyboard
// moves through them; the checklist view comes in pages by folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const binary = process.env.OPSBOOK_BINARY;
assert.ok(binary, "OPSBOOK_BINARY must be set");

let work, site, server, baseUrl, browser;

// Runbook n: a title, a description with a word of its own, a service and a tag, and sections
// whose words are only there (so that a search lands on a known section).
function runbook(n, folder) {
  return `---
title: "Runbook ${n} of ${folder}"
description: "Recovers the widget${n} pipeline when it stalls."
services: [svc${n % 7}]
tags: [team${n % 5}]
---
# Runbook ${n} of ${folder}

Every runbook mentions the frobnicator.

## Overview

The frobnicator keeps queue${n} moving.

## Check the health

\`\`\`bash
curl -fsS http://127.0.0.1:8080/healthz
\`\`\`

## Rotate credentials

Rotate the zebra${n} key when it leaks. Rotate it again the next day.

## Notes

${"Write down what was done and when, so that the next person knows.\n\n".repeat(12)}
## Restart steps

- [ ] Drain node${n}
- [ ] Restart node${n}
`;
}

function serve(root) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
  return http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = join(root, path);
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "opsbook-scale-"));
  const src = join(work, "content");
  let n = 0;
  for (let t = 0; t < 10; ++t) {
    for (let s = 0; s < 5; ++s) {
      const dir = join(src, `team-${t}`, `service-${s}`);
      mkdirSync(dir, { recursive: true });
      for (let p = 0; p < 31; ++p, ++n) writeFileSync(join(dir, `page-${String(p).padStart(2, "0")}.md`), runbook(n, `team-${t}/service-${s}`));
    }
  }
  mkdirSync(join(src, "flat"));
  for (let p = 0; p < 450; ++p, ++n) writeFileSync(join(src, "flat", `flat-${String(p).padStart(3, "0")}.md`), runbook(n, "flat"));
  assert.equal(n, 2000);
  site = join(work, "site");
  execFileSync(binary, ["build", src, "-o", site], { stdio: "pipe" });
  server = serve(site);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function open(origin, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(/^(https?|wss?):\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const [file, query] = path.split("?");
  await page.goto(origin === "http" ? baseUrl + path : pathToFileURL(join(site, file)).href + (query ? "?" + query : ""));
  return { context, page };
}

// The element's box lies within the viewport and within the sidebar's box.
async function shownInSidebar(page, locator) {
  await locator.waitFor({ state: "visible", timeout: 10000 });
  const box = await locator.boundingBox();
  const bar = await page.locator(".sidebar").boundingBox();
  assert.ok(box && bar, "both boxes exist");
  assert.ok(box.y >= bar.y - 1 && box.y + box.height <= bar.y + bar.height + 1, `link inside the sidebar (${JSON.stringify(box)} in ${JSON.stringify(bar)})`);
  assert.ok(box.y + box.height <= 800 && box.y >= 0, "link within the viewport");
}

for (const origin of ["file", "http"]) {
  test(`sidebar: the current page is shown in its open folder, other folders open on demand (${origin})`, async () => {
    const { context, page } = await open(origin, "runbooks/team-7/service-3/page-29.html");
    const current = page.locator("#nav-tree a[aria-current=page]");
    await shownInSidebar(page, current);
    assert.equal(await current.textContent(), "Runbook 1207 of team-7/service-3");
    // A closed folder: its runbooks are not there until it is opened.
    const team2 = page.locator("#nav-tree summary", { hasText: /^team-2 \(155\)$/ });
    await team2.waitFor({ state: "visible" });
    const link = page.locator("#nav-tree a", { hasText: "Runbook 380 of team-2/service-2" });
    assert.equal(await link.count(), 0);
    await team2.click();
    await team2.locator("..").locator("summary", { hasText: /^service-2 \(31\)$/ }).click();
    await link.waitFor({ state: "visible", timeout: 10000 });
    await link.click();
    await page.waitForURL(/runbooks\/team-2\/service-2\/page-08\.html$/);
    await context.close();
  });

  test(`sidebar: a folder of 450 runbooks shows the first 150, and all on request (${origin})`, async () => {
    const { context, page } = await open(origin, "runbooks/flat/flat-449.html");
    // The current page is past the first 150 (a script's budget): shown first in its folder anyway.
    await shownInSidebar(page, page.locator("#nav-tree a[aria-current=page]"));
    const flat = page.locator("#nav-tree details[open] > ul").filter({ has: page.locator("a[aria-current=page]") });
    const before = await flat.locator(":scope > li > a").count();
    assert.equal(before, 151);
    await flat.locator("button.nav-more").click();
    await page.waitForFunction(() => document.querySelectorAll("#nav-tree details[open] > ul > li > a").length >= 450);
    assert.equal(await flat.locator(":scope > li > a").count(), 450);
    assert.equal(await flat.locator("button.nav-more").count(), 0);
    assert.equal(await page.locator("#nav-tree a[aria-current=page]").count(), 1);
    await context.close();
  });

  test(`index and lists: folders first, long lists in pages (${origin})`, async () => {
    const { context, page } = await open(origin, "index.html");
    const folders = page.locator("main .runbook-list a");
    assert.deepEqual(await folders.allTextContents(), ["flat", ...Array.from({ length: 10 }, (_, t) => `team-${t}`)]);
    await page.locator("main a", { hasText: /^flat$/ }).click();
    await page.locator("main h1", { hasText: "flat" }).waitFor();
    assert.equal(await page.locator("main .runbook-list li").count(), 200);
    assert.match(await page.locator(".page-info").textContent(), /Page 1 of 3: 1–200 of 450/);
    await page.locator(".pager a[rel=next]").click();
    await page.locator(".page-info", { hasText: "Page 2 of 3" }).waitFor();
    assert.ok(await page.locator("main .runbook-list a", { hasText: /^Runbook 1750 of flat$/ }).isVisible());
    // The full list, one click from the index.
    await page.locator(".crumbs a").first().click();
    await page.locator(".list-links a", { hasText: "All runbooks" }).click();
    assert.match(await page.locator(".page-info").textContent(), /Page 1 of 10: 1–200 of 2000/);
    await context.close();
  });

  test(`search: ten results at a time as they come into view, linked to the section that matched (${origin})`, async () => {
    const { context, page } = await open(origin, "search.html?q=frobnicator");
    const results = page.locator("#search-results > li");
    await results.first().waitFor({ state: "visible", timeout: 10000 });
    assert.match(await page.locator("#search-status").textContent(), /^\d+ results for “frobnicator”$/);
    assert.equal(await results.count(), 10);
    // Scrolling to the end of the list brings the next ten.
    await page.locator("#search-more").scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length >= 20, null, { timeout: 10000 });
    await context.close();

    // A word of one section: the result names the section and opens the page there.
    const second = await open(origin, "search.html?q=zebra1234");
    const link = second.page.locator("#search-results a.result-link").first();
    await link.waitFor({ state: "visible", timeout: 10000 });
    assert.equal(await link.textContent(), "Runbook 1234 of team-7/service-4 › Rotate credentials");
    await link.click();
    await second.page.waitForURL(/team-7\/service-4\/page-25\.html#rotate-credentials$/);
    const top = await second.page.evaluate(() => document.getElementById("rotate-credentials").getBoundingClientRect().top);
    assert.ok(top >= -5 && top < 200, `the section's heading is at the top of the viewport (${top})`);
    await second.context.close();
  });
}

test("checklists: the view comes in pages by folder; a runbook's checklist opens alone from its page (file)", async () => {
  const { context, page } = await open("file", "runbooks/team-7/service-3/page-29.html");
  await page.locator(".checklist-links a", { hasText: "Restart steps" }).click();
  await page.waitForURL(/checklists\.team-7\.service-3\.html\?id=/);
  const shown = page.locator("section.checklist:visible");
  await shown.first().waitFor({ state: "visible", timeout: 10000 });
  assert.equal(await shown.count(), 1);
  assert.match(await shown.locator("h2").textContent(), /^Restart steps — Runbook 1207 of team-7\/service-3, line \d+$/);
  assert.ok(await shown.locator(".step-text", { hasText: "Drain node1207" }).isVisible());
  // The top of the view lists folders, not 2,000 checklists; a folder's page, its subfolders.
  await page.goto(pathToFileURL(join(site, "checklists.html")).href);
  assert.equal(await page.locator("section.checklist").count(), 0);
  await page.locator("main .runbook-list a", { hasText: /^team-7$/ }).click();
  await page.locator("main h1", { hasText: "Checklists in team-7" }).waitFor({ state: "visible" });
  assert.deepEqual(await page.locator("main .runbook-list a").allTextContents(), Array.from({ length: 5 }, (_, s) => `service-${s}`));
  await context.close();
});

test("search: the description is searchable; results show services and tags", async () => {
  const { context, page } = await open("http", "search.html?q=widget777");
  const first = page.locator("#search-results > li").first();
  await first.waitFor({ state: "visible", timeout: 10000 });
  assert.equal(await first.locator("a.result-link").textContent(), "Runbook 777 of team-5/service-0");
  assert.ok(await first.locator(".result-desc mark", { hasText: "widget777" }).isVisible());
  assert.ok(await first.locator(".chip", { hasText: "svc0" }).isVisible());
  assert.ok(await first.locator(".chip", { hasText: "#team2" }).isVisible());
  await context.close();
});

test("search: the keyboard moves through the results and loads more past the last", async () => {
  const { context, page } = await open("http", "search.html?q=frobnicator");
  await page.locator("#search-results > li").first().waitFor({ state: "visible", timeout: 10000 });
  await page.locator("#search-input").focus();
  await page.keyboard.press("ArrowDown");
  const focused = () => page.evaluate(() => document.activeElement.textContent);
  const first = await page.locator("#search-results a.result-link").first().textContent();
  assert.equal(await focused(), first);
  for (let i = 0; i < 9; ++i) await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), await page.locator("#search-results a.result-link").nth(9).textContent());
  // Past the tenth: the next ten load and the eleventh has the focus, on screen.
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => document.activeElement === document.querySelectorAll("#search-results a.result-link")[10], null, { timeout: 10000 });
  const box = await page.evaluate(() => { const r = document.activeElement.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
  assert.ok(box.top >= 0 && box.bottom <= 800, `focused result on screen (${JSON.stringify(box)})`);
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), await page.locator("#search-results a.result-link").nth(9).textContent());
  await page.keyboard.press("Enter");
  await page.waitForURL(/runbooks\/.+\.html(#.*)?$/);
  await context.close();
});

// s10b review B12: 5,000 top-level folders made a root sidebar script of every folder (254 KB,
// loaded by every page). The root script lists 150 folders; the rest come in parts, at once when
// the current page lies in one of them, else on request.
test("sidebar: 400 top-level folders, the root script lists 150 and the rest on request (file)", async () => {
  const src = join(work, "wide");
  for (let f = 0; f < 400; ++f) {
    const dir = join(src, `area-${String(f).padStart(3, "0")}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "only.md"), `# Only page of area ${f}\n\nText.\n`);
  }
  const out = join(work, "wide-site");
  execFileSync(binary, ["build", src, "-o", out], { stdio: "pipe" });
  const root = readFileSync(join(out, "assets", "nav.js"), "utf8");
  assert.equal((root.match(/"n":/g) || []).length, 150, "the root script names 150 folders");
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(/^(https?|wss?):\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  // A page in a folder past the first 150: its folder is loaded and open, its link current.
  await page.goto(pathToFileURL(join(out, "runbooks", "area-399", "only.html")).href);
  await shownInSidebar(page, page.locator("#nav-tree a[aria-current=page]"));
  assert.equal(await page.locator("#nav-tree > ul > li > details > summary").count(), 400);
  await context.close();
  // A page in the first 150: the others are one click away.
  const second = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p2 = await second.newPage();
  await p2.goto(pathToFileURL(join(out, "runbooks", "area-000", "only.html")).href);
  await shownInSidebar(p2, p2.locator("#nav-tree a[aria-current=page]"));
  assert.equal(await p2.locator("#nav-tree > ul > li > details > summary").count(), 150);
  const more = p2.locator("#nav-tree button.nav-more", { hasText: "Show 250 more folders" });
  await more.waitFor({ state: "visible" });
  await more.click();
  await p2.waitForFunction(() => document.querySelectorAll("#nav-tree > ul > li > details > summary").length === 400);
  await p2.locator("#nav-tree summary", { hasText: /^area-321 \(1\)$/ }).click();
  await p2.locator("#nav-tree a", { hasText: "Only page of area 321" }).waitFor({ state: "visible", timeout: 10000 });
  await second.close();
});
