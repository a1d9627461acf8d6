// Browser tests of the real portal: built by the real opsbook binary, opened in Debian's
// headless Chromium through playwright-core, from file:// and from a local static server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, readFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname } from "node:path";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const binary = process.env.OPSBOOK_BINARY;
const samples = process.env.OPSBOOK_SAMPLES;
const data = process.env.OPSBOOK_TEST_DATA;
const content = process.env.OPSBOOK_CONTENT;
const artifacts = process.env.OPSBOOK_ARTIFACTS || join(tmpdir(), "opsbook-browser-artifacts");
assert.ok(binary && samples && data && content, "OPSBOOK_BINARY, OPSBOOK_SAMPLES, OPSBOOK_TEST_DATA and OPSBOOK_CONTENT must be set");

let work, site, server, baseUrl, browser;

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
  work = mkdtempSync(join(tmpdir(), "opsbook-browser-"));
  const src = join(work, "content");
  mkdirSync(src);
  cpSync(samples, src, { recursive: true });
  cpSync(content, join(src, "demo"), { recursive: true });
  cpSync(join(data, "hostile.md"), join(src, "hostile.md"));
  site = join(work, "site");
  try {
    // From `work`, as the incident test below runs the CLI: documents go to work/docs/INCIDENTS.
    execFileSync(binary, ["build", src, "-o", site, "--no-report"], { stdio: "pipe", cwd: work });
  } catch (e) {
    // exit 1 = some runbook has errors; the site is still built.
    if (e.status !== 1) throw e;
  }
  mkdirSync(artifacts, { recursive: true });
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
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  // Never let a page reach anything but this machine.
  await context.route(/^(https?|wss?):\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  return { context, page };
}

test("index opens from file:// with every runbook listed", async () => {
  const { context, page } = await newPage();
  await page.goto(pathToFileURL(join(site, "index.html")).href);
  assert.match(await page.title(), /Ops Portal/);
  const links = await page.locator(".runbook-list a").count();
  assert.ok(links >= 8, `expected the runbooks listed, got ${links}`);
  assert.equal(await page.locator("main#main").count(), 1);
  assert.equal(await page.locator("nav[aria-label=Runbooks]").count(), 1);
  await page.screenshot({ path: join(artifacts, "index.png"), fullPage: true });
  await context.close();
});

test("search from the box: type a term from one sample and click through", async () => {
  const { context, page } = await newPage();
  await page.goto(baseUrl + "index.html");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("redpanda");
  const first = page.locator("#search-suggest a").first();
  await first.waitFor({ state: "visible", timeout: 10000 });
  await page.screenshot({ path: join(artifacts, "search-suggest.png") });
  await first.click();
  await page.waitForURL(/cv-evaluator-operations\.html(#[\w-]+)?$/);
  assert.match(await page.locator("h1").first().textContent(), /Operations Runbook/);
  await context.close();
});

for (const origin of ["http", "file"]) {
  test(`?q= deep link shows highlighted results (${origin})`, async () => {
    const { context, page } = await newPage();
    // "SOPS" is in the prose of one sample only ("decrypted from SOPS").
    const url = origin === "http" ? baseUrl + "search.html?q=sops" : pathToFileURL(join(site, "search.html")).href + "?q=sops";
    await page.goto(url);
    const result = page.locator("#search-results li a").first();
    await result.waitFor({ timeout: 10000 });
    // The link goes to the section where the word is.
    assert.match(await result.getAttribute("href"), /runbooks\/cv-evaluator-operations\.html#[\w-]+$/);
    assert.ok((await page.locator("#search-results mark").count()) > 0, "query words are highlighted");
    assert.match(await page.locator("#search-status").textContent(), /result/);
    if (origin === "http") await page.screenshot({ path: join(artifacts, "search-results.png"), fullPage: true });
    await context.close();
  });
}

test("prefix matching while typing finds a word from its first letters", async () => {
  const { context, page } = await newPage();
  await page.goto(baseUrl + "search.html?q=redpan");
  await page.locator("#search-results li a").first().waitFor({ timeout: 10000 });
  assert.match(await page.locator("#search-results li a").first().getAttribute("href"), /cv-evaluator/);
  await context.close();
});

test("copy button copies the snippet text", async () => {
  const { context, page } = await newPage({ permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(baseUrl + "runbooks/demo/session-cache.html");
  const snippet = page.locator("#snippet-cache-info");
  await snippet.locator("button.copy").click();
  await page.waitForFunction(() => document.querySelector("#snippet-cache-info button.copy").textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, "redis-cli -h 127.0.0.1 -p 6379 INFO memory\nredis-cli -h 127.0.0.1 -p 6379 DBSIZE\n");
  // Console transcripts copy only the commands.
  await page.locator("#snippet-health-checks-1 button.copy").click();
  await page.waitForFunction(() => document.querySelector("#snippet-health-checks-1 button.copy").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "redis-cli -h 127.0.0.1 -p 6379 ping\n");
  assert.equal(await page.locator("#snippet-flush-sessions .badge").textContent(), "destructive");
  await page.screenshot({ path: join(artifacts, "runbook.png"), fullPage: true });
  await context.close();
});

test("a block that mixes classes shows each command's class after it, and copies only the code", async () => {
  const { context, page } = await newPage({ permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(baseUrl + "runbooks/cv-evaluator-operations.html");
  const snippet = page.locator("#snippet-decrypting-secrets-1");
  const marks = snippet.locator("code .cmd");
  assert.equal(await marks.count(), 2);
  const labels = await marks.evaluateAll((els) => els.map((e) => getComputedStyle(e, "::after").content));
  assert.deepEqual(labels, ['"read-only"', '"mutating"']);
  for (const i of [0, 1]) assert.ok(await marks.nth(i).isVisible());
  // The label sits to the right of its command, on the same line.
  const box = await marks.nth(1).boundingBox();
  assert.ok(box.width > 100 && box.height < 30);
  await snippet.locator("button.copy").click();
  await page.waitForFunction(() => document.querySelector("#snippet-decrypting-secrets-1 button.copy").textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.includes("make decrypt-env-production") && !copied.includes("mutating") && !copied.includes("read-only"));
  await context.close();
});

test("dark mode follows the toggle and survives a reload", async () => {
  const { context, page } = await newPage({ colorScheme: "light" });
  await page.goto(baseUrl + "runbooks/cv-evaluator-operations.html");
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click("#theme-toggle");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  const dark = await bg();
  assert.notEqual(dark, light);
  await page.reload();
  assert.equal(await bg(), dark);
  await page.screenshot({ path: join(artifacts, "runbook-dark.png") });
  await context.close();
});

test("table of contents links scroll to their headings", async () => {
  const { context, page } = await newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(baseUrl + "runbooks/cv-evaluator-operations.html");
  const link = page.locator(".toc a[href='#backup-procedures']");
  await link.click();
  await page.waitForFunction(() => location.hash === "#backup-procedures");
  const top = await page.evaluate(() => document.getElementById("backup-procedures").getBoundingClientRect().top);
  assert.ok(top >= -5 && top < 200, `heading should be at the top of the viewport, is at ${top}`);
  await context.close();
});

test("hostile runbook: no script runs, no dialog opens, no handler or javascript: URL survives", async () => {
  for (const url of [baseUrl + "runbooks/hostile.html", pathToFileURL(join(site, "runbooks/hostile.html")).href,
                     baseUrl + "index.html", baseUrl + "checklists.html", baseUrl + "tags/index.html", baseUrl + "search.html?q=hostile"]) {
    const { context, page } = await newPage();
    const dialogs = [];
    page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    await page.goto(url);
    await page.waitForTimeout(300);
    // Hover and click everything that might carry a handler.
    for (const el of await page.locator("main *").all()) {
      await el.hover({ timeout: 200, trial: false }).catch(() => {});
    }
    assert.deepEqual(dialogs, [], `dialogs on ${url}`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const report = await page.evaluate(() => {
      const bad = [];
      for (const s of document.scripts) {
        if (s.id === "incident-data") {
          // The incident data block: JSON, never run; it must hold no "<" that could end it early.
          if (s.type !== "application/json" || s.textContent.includes("<") || s.nextElementSibling === null) bad.push("data:" + s.outerHTML.slice(0, 80));
          continue;
        }
        if (!s.src || !/\/(assets|search)\//.test(s.src)) { if (s.textContent.indexOf("opsbook-theme") < 0) bad.push("script:" + s.outerHTML.slice(0, 80)); }
      }
      for (const el of document.querySelectorAll("*")) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) bad.push("handler:" + el.tagName + " " + a.name);
          if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) bad.push("url:" + a.value);
        }
        if (/^(IFRAME|OBJECT|EMBED|STYLE)$/.test(el.tagName)) bad.push("tag:" + el.tagName);
        if (el.tagName === "svg" || el.tagName === "SVG") bad.push("svg");
      }
      for (const el of document.querySelectorAll("main [style]")) bad.push("style:" + el.tagName);
      return bad;
    });
    assert.deepEqual(report, [], `unsafe markup on ${url}`);
    if (url.endsWith("runbooks/hostile.html") && url.startsWith("http")) {
      await page.screenshot({ path: join(artifacts, "hostile.png"), fullPage: true });
      assert.ok(await page.locator("main").textContent().then((t) => t.includes("<script>")), "hostile markup is shown as text");
    }
    await context.close();
  }
});

test("checklist ticks are kept in the browser and reset on request", async () => {
  const { context, page } = await newPage();
  await page.goto(baseUrl + "checklists.html");
  const box = page.locator("input[data-step='fastapi-celery-operations/pre-deployment-checklist/2']");
  await box.check();
  await page.reload();
  assert.equal(await box.isChecked(), true);
  const section = page.locator("[data-checklist='fastapi-celery-operations/pre-deployment-checklist']");
  await section.locator(".reset-checklist").click();
  assert.equal(await box.isChecked(), false);
  await page.reload();
  assert.equal(await box.isChecked(), false);
  await context.close();
});

test("a checklist opened alone keeps its ticks across reloads and downloads as JSON", async () => {
  const { context, page } = await newPage({ acceptDownloads: true });
  const id = "chessmate-operations/incident-response-checklist";
  await page.goto(baseUrl + "checklists.html?id=" + encodeURIComponent(id));
  const section = page.locator(`[data-checklist='${id}']`);
  assert.equal(await section.isVisible(), true);
  assert.equal(await page.locator("[data-checklist]:visible").count(), 1, "only that checklist is shown");
  await section.locator(`input[data-step='${id}/1']`).check();
  await section.locator(`input[data-step='${id}/3']`).check();
  await page.reload();
  assert.equal(await section.locator(`input[data-step='${id}/1']`).isChecked(), true);
  assert.equal(await section.locator(`input[data-step='${id}/2']`).isChecked(), false);
  assert.equal(await section.locator(`input[data-step='${id}/3']`).isChecked(), true);
  const [download] = await Promise.all([page.waitForEvent("download"), section.locator(".download-checklist").click()]);
  const doc = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(doc.checklists[0].id, id);
  assert.deepEqual(doc.checklists[0].steps.map((s) => s.checked), [true, false, true, false, false]);
  assert.equal(doc.checklists[0].steps[0].text, "Acknowledge alert in paging tool.");
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: join(artifacts, "checklist-print.png"), fullPage: true });
  await context.close();
});

test("Start incident downloads the document the CLI writes for the same inputs", async () => {
  const { context, page } = await newPage({ acceptDownloads: true });
  await page.goto(baseUrl + "runbooks/fastapi-celery-operations.html");
  await page.locator("#start-incident").click();
  await page.locator("#incident-title").fill("Workers stuck: queue \"default\" | growing");
  await page.locator("#incident-severity").selectOption("SEV2");
  await page.screenshot({ path: join(artifacts, "start-incident.png") });
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#incident-download").click()]);
  const fromBrowser = readFileSync(await download.path(), "utf8");
  assert.match(download.suggestedFilename(), /^\d{4}-\d\d-\d\d-workers-stuck-queue-default-growing\.md$/);
  // The CLI's default folder (docs/INCIDENTS beside the configuration): the document's link to
  // its runbook is relative to it, in both.
  const path = execFileSync(binary, ["incident", "new", "--runbook", join(work, "content", "fastapi-celery-operations.md"), "--severity", "SEV2",
    "--title", "Workers stuck: queue \"default\" | growing"], { encoding: "utf8", cwd: work }).trim();
  const fromCli = readFileSync(join(work, path), "utf8");
  assert.ok(fromCli.includes("](../../content/fastapi-celery-operations.md)"), "the runbook link works from docs/INCIDENTS");
  const untimed = (text) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "TIME").replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, "TIME");
  assert.equal(untimed(fromBrowser), untimed(fromCli));
  assert.ok(fromBrowser.includes("**SEV2 - High** (from the runbook's severity table)"));
  await context.close();
});

// What a person sees: [hidden] must win over the form's own display rule.
test("Start incident: the form is closed until its button opens it, at the runbook's own severity", async () => {
  const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(baseUrl + "runbooks/demo/session-cache.html");
  const form = page.locator("#incident-form");
  assert.equal(await form.isVisible(), false, "the form is closed on arrival");
  assert.equal(await form.boundingBox(), null, "a closed form takes no space");
  const button = page.locator("#start-incident");
  assert.equal(await button.isVisible(), true);
  const before = await page.locator(".description").first().boundingBox();
  await button.click();
  assert.equal(await form.isVisible(), true, "the button opens the form");
  const box = await form.boundingBox();
  assert.ok(box.width > 200 && box.height > 30, `the open form has a size, got ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), "incident-title", "focus goes to the title");
  // The page says "Severity: SEV3"; the form starts there.
  assert.match(await page.locator(".runbook-meta").textContent(), /Severity: SEV3/);
  assert.equal(await page.locator("#incident-severity").inputValue(), "SEV3");
  assert.match(await page.locator("#incident-severity option:checked").textContent(), /SEV3/);
  const after = await page.locator(".description").first().boundingBox();
  assert.ok(after.y > before.y + box.height / 2, "the open form pushes the page down");
  await button.click();
  assert.equal(await form.isVisible(), false, "a second click closes it");
  await context.close();
});

test("GitHub alerts show as callouts with a title, in light, dark and print", async () => {
  const { context, page } = await newPage({ colorScheme: "light" });
  await page.goto(baseUrl + "runbooks/demo/orders-database.html");
  const callout = page.locator(".callout-caution");
  assert.equal(await callout.isVisible(), true);
  assert.equal(await callout.locator(".callout-title").textContent(), "Caution");
  assert.match(await callout.textContent(), /deletes every order/);
  assert.ok(!(await page.locator("main").textContent()).includes("[!CAUTION]"), "the marker itself is not shown");
  const look = () => callout.evaluate((el) => {
    const s = getComputedStyle(el);
    return { rule: s.borderLeftColor, ruleWidth: parseFloat(s.borderLeftWidth), bg: s.backgroundColor, title: getComputedStyle(el.firstElementChild).color };
  });
  const light = await look();
  assert.ok(light.ruleWidth >= 3, "a coloured rule on the left");
  assert.notEqual(light.bg, "rgba(0, 0, 0, 0)", "a tinted background");
  await page.goto(baseUrl + "runbooks/demo/session-cache.html");
  const note = await page.locator(".callout-note").evaluate((el) => getComputedStyle(el).borderLeftColor);
  assert.notEqual(note, light.rule, "each kind has its colour");
  await page.goto(baseUrl + "runbooks/demo/orders-database.html");
  await page.click("#theme-toggle");
  const dark = await look();
  assert.notEqual(dark.bg, light.bg, "dark mode has its own tint");
  assert.ok(luminance(dark.bg) < 0.2, `dark tint is dark, got ${dark.bg}`);
  assert.ok(contrast(dark.title, dark.bg) >= 4.5, `title readable on dark: ${dark.title} on ${dark.bg}`);
  await page.emulateMedia({ media: "print" });
  const printed = await look();
  assert.equal(await callout.isVisible(), true, "callouts are printed");
  assert.ok(printed.ruleWidth >= 3 && luminance(printed.rule) < 0.6, `a dark rule on paper, got ${printed.rule}`);
  assert.ok(contrast(printed.title, "rgb(255, 255, 255)") >= 3, `title readable on paper: ${printed.title}`);
  await context.close();
});

test("dark mode darkens inputs, selects and buttons too", async () => {
  const { context, page } = await newPage({ colorScheme: "dark" });
  await page.goto(baseUrl + "runbooks/demo/session-cache.html");
  await page.click("#start-incident");
  for (const selector of ["#search-input", "#incident-title", "#incident-severity", "#incident-download", "#start-incident", ".snippet button.copy"]) {
    const { bg, fg } = await page.locator(selector).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, fg: s.color };
    });
    assert.ok(luminance(bg) < 0.2, `${selector} background is dark, got ${bg}`);
    assert.ok(contrast(fg, bg) >= 4.5, `${selector} text readable: ${fg} on ${bg}`);
  }
  await page.screenshot({ path: join(artifacts, "incident-dark.png") });
  await context.close();
});

test("the services and tags pages name themselves once", async () => {
  const { context, page } = await newPage();
  for (const [path, title] of [["services/index.html", "Services"], ["tags/index.html", "Tags"]]) {
    await page.goto(baseUrl + path);
    const headings = await page.locator("main h1:visible, main h2:visible").allTextContents();
    assert.deepEqual(headings.filter((h) => h.trim().startsWith(title)), [title], `${path}: ${headings}`);
    assert.ok((await page.locator("main .runbook-list a:visible").count()) >= 2);
  }
  await context.close();
});

// Relative luminance and contrast ratio (WCAG 2) of CSS rgb()/rgba() colours.
function luminance(color) {
  const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
