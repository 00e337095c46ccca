// Renders every connector's schema with react-jsonschema-form (rjsf, with its default
// validator @rjsf/validator-ajv8) and with JSON Forms (its vanilla renderers and its default
// `createAjv`), on the server with react-dom, and validates the whole config corpus with both
// default validators, agreeing with the Rust validator config by config (tests/configs:
// `valid/` and `warning/` are valid, `invalid/` is not).
//
// It checks what a console needs: the schemas compile with the libraries' own setup (no custom
// validator class), secrets render as password inputs in both, choices carry their titles, the
// templates field starts with one template per required usage type, and a config missing a
// required usage type gets an error naming it in rjsf's error list.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";
import { createAjv } from "@jsonforms/core";
import { JsonForms } from "@jsonforms/react";
import { vanillaCells, vanillaRenderers } from "@jsonforms/vanilla-renderers";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
const index = read("schemas/index.json");

let checks = 0;
let failures = 0;
function check(condition, message) {
  checks += 1;
  if (!condition) {
    failures += 1;
    console.error(`FAIL ${message}`);
  }
}

const REQUIRED = ["Register", "SignIn", "ForgotPassword", "Generic"];
const count = (text, pattern) => (text.match(pattern) || []).length;

for (const connector of index.connectors) {
  const schema = read(connector.schema);
  const uischema = read(connector.uiSchema);
  const secrets = Object.entries(schema.properties).filter(([, s]) => s.writeOnly).map(([k]) => k);

  // rjsf, as its README shows it: <Form schema={schema} validator={validator} />.
  const rjsf = renderToStaticMarkup(createElement(Form, { schema, validator }));
  check(count(rjsf, /type="password"/g) === secrets.length, `${connector.target}: rjsf renders ${secrets.length} secret(s) as password inputs`);
  // A connector with templates of its own (the router has none: its members do).
  const templated = "templates" in schema.properties;
  // Required templates are pre-filled, one per required usage type; optional ones (the HTTP
  // connector's) are not, so that a console does not add texts the operator did not ask for.
  const templatesRequired = templated && (schema.required || []).includes("templates");
  for (const usage of templated ? REQUIRED : []) {
    check(rjsf.includes(`value="${usage}"`) === templatesRequired, `${connector.target}: rjsf ${templatesRequired ? "pre-fills" : "does not pre-fill"} a ${usage} template`);
  }
  check(!/`/.test(JSON.stringify(schema)) || !rjsf.includes("`"), `${connector.target}: rjsf shows no Markdown backticks`);

  // JSON Forms, with its vanilla renderers and its default ajv, and the published UI schema.
  const ajv = createAjv();
  const jsonFormsValidate = ajv.compile(schema);
  const jsonForms = renderToStaticMarkup(
    createElement(JsonForms, { schema, uischema, data: {}, renderers: vanillaRenderers, cells: vanillaCells, ajv }),
  );
  check(count(jsonForms, /type="password"/g) === secrets.length, `${connector.target}: JSON Forms renders ${secrets.length} secret(s) as password inputs`);
  check(!jsonForms.includes("No applicable renderer"), `${connector.target}: JSON Forms renders every field`);

  // Titled choices render as labelled options in both.
  for (const [key, property] of Object.entries(schema.properties)) {
    let node = property;
    if (node.$ref) node = schema.definitions[node.$ref.split("/").pop()];
    if (!Array.isArray(node.oneOf) || !node.oneOf.every((b) => "const" in b)) continue;
    for (const choice of node.oneOf) {
      check(rjsf.includes(`>${choice.title}<`), `${connector.target}: rjsf shows the title of ${key} ${choice.const}`);
      check(jsonForms.includes(choice.title), `${connector.target}: JSON Forms shows the title of ${key} ${choice.const}`);
    }
  }

  // The corpus, config by config, with both default validators.
  const counts = { agree: 0 };
  let valid;
  for (const kind of ["valid", "warning", "invalid"]) {
    const dir = join(root, "tests", "configs", connector.target, kind);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const config = JSON.parse(readFileSync(join(dir, file), "utf8"));
      // The first valid config with templates (the HTTP connector's are optional).
      if (kind === "valid" && !valid && (!templated || Array.isArray(config.templates))) valid = config;
      const expected = kind !== "invalid";
      const rjsfErrors = validator.validateFormData(config, schema).errors;
      const jsonFormsOk = jsonFormsValidate(config);
      check((rjsfErrors.length === 0) === expected, `${connector.target}/${kind}/${file}: rjsf says ${rjsfErrors.length ? rjsfErrors.map((e) => e.stack).join("; ") : "valid"}`);
      check(jsonFormsOk === expected, `${connector.target}/${kind}/${file}: JSON Forms' ajv says ${jsonFormsOk ? "valid" : ajv.errorsText(jsonFormsValidate.errors)}`);
      counts.agree += 1;
    }
  }

  // A missing required usage type is named in rjsf's error list: in the config's own
  // templates, or, for the router, in a member's config (its schema embeds each member's).
  const templatesOf = (config) =>
    templated ? config : Object.values(config.members).find((m) => Array.isArray(m.config.templates)).config;
  for (const usage of REQUIRED) {
    const config = structuredClone(valid);
    const holder = templatesOf(config);
    holder.templates = holder.templates.filter((t) => t.usageType !== usage);
    const stacks = validator.validateFormData(config, schema).errors.map((e) => e.stack);
    check(stacks.some((s) => s.includes(`usageType ${usage}`)), `${connector.target}: rjsf names the missing ${usage} template (${stacks.join("; ")})`);
  }
  console.log(`${connector.target}: rjsf and JSON Forms render the schema and agree on ${counts.agree} configs`);
}

if (failures > 0) {
  console.error(`${checks - failures} passed, ${failures} failed`);
  process.exit(1);
}
console.log(`${checks} passed, 0 failed`);
