// The release screenshot set: the portal built from content/ and the shared samples, shot in
// Debian's headless Chromium. Run through scripts/screenshots.sh; look at them, they are not
// compared in CI.  node screenshots.mjs OPSBOOK_BINARY CONTENT_DIR... -o OUT_DIR
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const outAt = args.indexOf("-o");
if (outAt < 0 || args.length < 4) {
  console.error("usage: node screenshots.mjs OPSBOOK_BINARY CONTENT_DIR... -o OUT_DIR");
  process.exit(2);
}
const out = args[outAt + 1];
const [binary, ...sources] = args.filter((_, i) => i !== outAt && i !== outAt + 1);
const work = mkdtempSync(join(tmpdir(), "opsbook-shots-"));
const content = join(work, "content");
for (const src of sources) cpSync(src, join(content, basename(src)), { recursive: true });
const site = join(work, "site");
try {
  execFileSync(binary, ["build", content, "-o", site, "--no-report"], { stdio: "pipe" });
} catch (e) {
  if (e.status !== 1) throw e;  // 1: some runbook has findings; the site is built
}
mkdirSync(out, { recursive: true });
const url = (path) => pathToFileURL(join(site, path)).href;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
const firstRunbook = `runbooks/${basename(sources[0])}/orders-database.html`;
const shots = [
  { name: "index", path: "index.html" },
  { name: "runbook", path: firstRunbook, full: true },
  { name: "runbook-incident-form", path: firstRunbook, click: "#start-incident" },
  { name: "search", path: "search.html?q=orders" },
  { name: "checklists", path: "checklists.html", full: true },
  { name: "services", path: "services/index.html" },
  { name: "dark-index", path: "index.html", scheme: "dark" },
  { name: "dark-runbook", path: firstRunbook, scheme: "dark", full: true },
  { name: "print-runbook", path: firstRunbook, media: "print", full: true },
  { name: "print-checklists", path: "checklists.html", media: "print", full: true },
];
for (const s of shots) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: s.scheme || "light" });
  await context.route(/^(https?|wss?):\/\//, (route) => route.abort());
  const page = await context.newPage();
  if (s.media) await page.emulateMedia({ media: s.media });
  await page.goto(url(s.path.split("?")[0]) + (s.path.includes("?") ? "?" + s.path.split("?")[1] : ""));
  if (s.path.startsWith("search")) await page.locator("#search-results li").first().waitFor({ timeout: 10000 });
  if (s.click) await page.click(s.click);
  await page.screenshot({ path: join(out, s.name + ".png"), fullPage: Boolean(s.full) });
  console.log(join(out, s.name + ".png"));
  await context.close();
}
await browser.close();
rmSync(work, { recursive: true, force: true });
