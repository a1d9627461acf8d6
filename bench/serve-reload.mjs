// Measures, in Chromium, the time from saving an edited runbook to the browser having loaded the
// new page (the page's load event after the server's reload), for a preview server on `url`.
//   node bench/serve-reload.mjs URL FILE EDITS   (prints one time in ms per edit)
import { createRequire } from "node:module";
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");
const [url, file, edits] = [process.argv[2], process.argv[3], Number(process.argv[4] || 20)];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
const context = await browser.newContext();
await context.route(/^(https?|wss?):\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
const page = await context.newPage();
await page.goto(url);
await page.waitForTimeout(1000);  // the reload connection (SSE or websocket) is open
for (let i = 0; i < edits; i++) {
  const marker = `bench edit ${i} ${Date.now()}`;
  const loaded = page.waitForEvent("load", { timeout: 60000 });
  const start = performance.now();
  appendFileSync(file, `\n${marker}\n`);
  await loaded;
  const ms = performance.now() - start;
  if (!(await page.content()).includes(marker)) throw new Error(`edit ${i}: the reloaded page does not show it`);
  console.log(ms.toFixed(1));
  await page.waitForTimeout(300);
}
await browser.close();
