// Compiles every schema in schemas/ with ajv (JSON Schema draft-07, the dialect form libraries
// validate with by default; strict mode, with formats), then runs ajv over the shared config corpus, tests/configs/<target>/{valid,warning,invalid,invalid-beyond-schema}
// (ajv knows no warnings: a config the kit accepts with warnings is valid to it).
// The Rust side (xtask's `config_corpus_verdicts` test) asserts the same verdicts on the same
// files, so the two validators agree file by file.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const index = JSON.parse(readFileSync(join(root, "schemas", "index.json"), "utf8"));

let failures = 0;
let checked = 0;
const fail = (message) => {
  failures += 1;
  console.error(`FAIL ${message}`);
};

for (const connector of index.connectors) {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(root, connector.schema), "utf8"));
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    fail(`${connector.schema} does not compile in strict mode: ${error.message}`);
    continue;
  }
  const confidential = connector.formItems.filter((item) => item.isConfidential).map((item) => item.key);
  const writeOnly = Object.entries(schema.properties).filter(([, s]) => s.writeOnly).map(([k]) => k);
  if (JSON.stringify(confidential) !== JSON.stringify(writeOnly)) {
    fail(`${connector.id}: confidential form items ${confidential} differ from writeOnly fields ${writeOnly}`);
  }
  const counts = { valid: 0, warning: 0, invalid: 0, "invalid-beyond-schema": 0 };
  // invalid-beyond-schema/: the connector's own rules refuse these (the HTTP connector's body
  // placeholders, reserved headers), which no schema says; ajv must accept them.
  for (const kind of ["valid", "warning", "invalid", "invalid-beyond-schema"]) {
    const dir = join(root, "tests", "configs", connector.target, kind);
    if (kind === "invalid-beyond-schema" && !existsSync(dir)) continue;
    if (!existsSync(dir)) {
      fail(`${connector.target}: no ${kind} corpus at ${dir}`);
      continue;
    }
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const config = JSON.parse(readFileSync(join(dir, file), "utf8"));
      const ok = validate(config);
      checked += 1;
      counts[kind] += 1;
      if (ok !== (kind !== "invalid")) {
        const why = ok ? "accepted" : ajv.errorsText(validate.errors);
        fail(`${connector.target}/${kind}/${file}: ajv says ${ok ? "valid" : "invalid"} (${why})`);
      }
    }
  }
  console.log(
    `${connector.target}: schema compiles; ajv agrees on ${counts.valid} valid, ${counts.warning} valid-with-warnings and ${counts.invalid} invalid configs` +
      (counts["invalid-beyond-schema"] ? `, and accepts the ${counts["invalid-beyond-schema"]} only the connector's own rules refuse` : ""),
  );
}

if (failures > 0) {
  console.error(`${failures} failed`);
  process.exit(1);
}
console.log(`${checked} passed, 0 failed`);
