// The JSON of `opsbook checklist` validated against schemas/checklist.schema.json with ajv.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = JSON.parse(readFileSync(join(root, "schemas", "checklist.schema.json"), "utf8"));

test("opsbook checklist --format json is valid against schemas/checklist.schema.json", () => {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);
  for (const source of [process.env.OPSBOOK_SAMPLES, process.env.OPSBOOK_CONTENT]) {
    const out = execFileSync(process.env.OPSBOOK_BINARY, ["checklist", source, "--format", "json"], { encoding: "utf8" });
    const doc = JSON.parse(out);
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 1));
    assert.ok(doc.checklists.length > 0);
  }
  // A broken document is caught: the schema is not a rubber stamp.
  assert.equal(validate({ version: 1, checklists: [{ id: "a", title: "t", kind: "list", runbook: "r", line: 0, steps: [] }] }), false);
});
