// The SARIF that `opsbook check` writes, validated against the official SARIF 2.1.0 schema
// (shipped in @microsoft/jest-sarif) with ajv.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, cpSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));

test("opsbook check --format sarif is valid SARIF 2.1.0 and never holds the planted secret", () => {
  const work = mkdtempSync(join(tmpdir(), "opsbook-sarif-"));
  const content = join(work, "content");
  mkdirSync(content);
  cpSync(process.env.OPSBOOK_SAMPLES, content, { recursive: true });
  cpSync(join(process.env.OPSBOOK_TEST_DATA, "hostile.md"), join(content, "hostile.md"));
  const secret = "ghp_Zx81KqP0aLmN3vB7cD5eF2gH9iJ4kL6mN0pQ";
  cpSync(join(process.env.OPSBOOK_TEST_DATA, "hostile.md"), join(content, "copy.md"));
  execFileSync("sh", ["-c", `printf '\\n\\n\`\`\`bash\\nexport GITHUB_TOKEN=${secret}\\nif true; then\\n\`\`\`\\n' >> '${join(content, "copy.md")}'`]);
  const out = join(work, "report.sarif");
  try {
    execFileSync(process.env.OPSBOOK_BINARY, ["check", content, "--format", "sarif", "-o", out], { stdio: "pipe" });
  } catch (e) {
    assert.equal(e.status, 1, "findings at error level exit 1");
  }
  const text = readFileSync(out, "utf8");
  assert.ok(!text.includes(secret) && !text.includes(secret.slice(4)), "the secret value is not in the report");
  const sarif = JSON.parse(text);
  const ajv = new Ajv({ allErrors: true, schemaId: "auto" });
  ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));  // the SARIF schema is draft-04
  const valid = ajv.validate(schema, sarif);
  assert.ok(valid, JSON.stringify(ajv.errors, null, 1));
  const rules = new Set(sarif.runs[0].results.map((r) => r.ruleId));
  for (const r of ["secret", "shell-syntax", "broken-link", "destructive-unguarded"]) assert.ok(rules.has(r), `has ${r}`);
});
