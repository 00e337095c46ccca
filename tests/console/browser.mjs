// Walks the console's whole flow in a real browser (Debian's chromium, driven by
// puppeteer-core, which downloads no browser), for every built-in connector, against the
// built-in simulator: choose, read the README, see and fix an error with the keyboard, send a
// test (the simulator logged it), save, reload (the secret is not shown and still set), switch
// connector, switch back. Takes the screenshots the README shows (docs/console-*.png).
//
//   node tests/console/browser.mjs            (needs target/debug/sms-connector)
//
// Environment: SMS_CONNECTOR_BIN, CHROMIUM (default /usr/bin/chromium).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.SMS_CONNECTOR_BIN || join(root, "target", "debug", "sms-connector");
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const phone = "+8613800138000";

let checks = 0;
let failures = 0;
function check(condition, message) {
  checks += 1;
  if (!condition) {
    failures += 1;
    console.error(`FAIL ${message}`);
  }
}

const configDir = mkdtempSync(join(tmpdir(), "sms-console-browser-"));
const consoleProcess = spawn(bin, ["console", "--simulator", "--port", "0", "--json", "--config-dir", configDir], {
  stdio: ["ignore", "pipe", "inherit"],
});
const announcement = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the console did not start within 30 s")), 30_000);
  createInterface({ input: consoleProcess.stdout }).once("line", (line) => {
    clearTimeout(timer);
    resolve(JSON.parse(line));
  });
  consoleProcess.once("exit", (code) => reject(new Error(`the console exited with ${code}`)));
});
const url = announcement.url;

async function simulatorHas(messageId) {
  for (const endpoint of Object.values(announcement.simulator)) {
    const messages = await (await fetch(`${endpoint}/__admin/messages`)).json();
    const list = Array.isArray(messages) ? messages : messages.messages || [];
    if (list.some((m) => m.messageId === messageId || m.message_id === messageId)) return true;
  }
  return false;
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--lang=en-US"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.waitForSelector("nav button");
  const connectors = await (await fetch(`${url}api/connectors`)).json();
  const ids = connectors.connectors.map((c) => c.id);
  check(ids.length >= 3, "the list shows every connector");

  async function choose(id) {
    await page.click(`nav button[data-id="${id}"]`);
    await page.waitForFunction(
      (id) => document.querySelector(`nav button[data-id="${id}"]`).getAttribute("aria-current") === "true" &&
        document.querySelector("#readme h1") && document.querySelectorAll("#fields [data-key]").length > 0,
      {},
      id,
    );
  }

  async function textOf(selector) {
    return page.$eval(selector, (node) => node.textContent.trim());
  }

  const firstValues = {};
  for (const [index, id] of ids.entries()) {
    const schema = (await (await fetch(`${url}api/connectors/${id}/schema`)).json()).schema;
    await choose(id);
    check((await textOf("#readme h1")).length > 0, `${id}: the README is shown`);

    // Every input has a label with the field's title; secrets are password inputs.
    const fields = await page.$$eval("#fields [data-key]", (inputs) =>
      inputs.map((input) => ({
        key: input.dataset.key,
        type: input.type,
        label: (document.querySelector(`label[for="${input.id}"]`) || {}).textContent || "",
      })),
    );
    for (const field of fields) {
      const title = (schema.properties[field.key] && schema.properties[field.key].title) || field.key;
      check(field.label.includes(title), `${id}: ${field.key} has a label with its title (${field.label})`);
      if (schema.properties[field.key] && schema.properties[field.key].writeOnly) {
        check(field.type === "password", `${id}: secret ${field.key} is a password input`);
      }
    }
    if (index === 0) await page.screenshot({ path: join(root, "docs", "console-choose.png") });

    // A mistake, made and fixed with the keyboard: in a required text field, or, for a
    // connector without one (the router), in its shortest required JSON field.
    const required = new Set(schema.required || []);
    const editable = [];
    for (const f of fields.filter((f) => required.has(f.key) && (f.type === "text" || f.type === "textarea"))) {
      editable.push({ ...f, length: (await page.$eval(`#field-${f.key}`, (input) => input.value)).length });
    }
    const target = editable.find((f) => f.type === "text") || editable.sort((a, b) => a.length - b.length)[0];
    const selector = `#field-${target.key}`;
    const original = await page.$eval(selector, (input) => input.value);
    firstValues[id] = { key: target.key, value: original };
    // Select all and delete; again if a busy machine lost the selection or the key.
    for (let tries = 0; tries < 3 && (await page.$eval(selector, (input) => input.value)) !== ""; tries++) {
      await page.focus(selector);
      await page.$eval(selector, (input) => input.select());
      await page.keyboard.press("Backspace");
    }
    await page
      .waitForFunction((key) => document.querySelector(`#field-${key}-problems`).textContent.includes("required field is missing"), {}, target.key)
      .catch(async (error) => {
        const shown = await page.$eval(`#field-${target.key}-problems`, (p) => p.textContent).catch(() => "(no problems element)");
        const value = await page.$eval(selector, (input) => input.value).catch(() => "?");
        throw new Error(`${id}: clearing ${target.key} (now ${JSON.stringify(value)}) showed ${JSON.stringify(shown)}: ${error.message}`);
      });
    check(true, `${id}: clearing ${target.key} shows the error at the field`);
    if (index === 0) await page.screenshot({ path: join(root, "docs", "console-error.png") });
    await page.keyboard.type(original);
    await page.waitForFunction((key) => document.querySelector(`#field-${key}-problems`).textContent === "", {}, target.key);
    check(true, `${id}: typing it back clears the error`);

    // Send a test message; the simulator logged it.
    await page.$eval("#test-to", (input) => (input.value = ""));
    await page.type("#test-to", phone);
    await page.focus("#send-test");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /^(Sent|error)/.test(document.querySelector("#test-result").textContent));
    const sent = await textOf("#test-result");
    check(sent.startsWith("Sent: message id "), `${id}: the receipt is shown (${sent})`);
    const messageId = sent.replace(/^Sent: message id /, "").split(",")[0];
    check(await simulatorHas(messageId), `${id}: the simulator logged message ${messageId}`);
    if (index === 0) await page.screenshot({ path: join(root, "docs", "console-sent.png") });

    // Save, reload: the secret is not shown and still set.
    await page.click("#save");
    await page.waitForFunction(() => document.querySelector("#save-result").textContent.startsWith("Saved"));
    check(true, `${id}: saved`);
    await page.reload();
    await page.waitForSelector("nav button");
    await choose(id);
    const secrets = await page.$$eval("#fields input[type=password]", (inputs) => inputs.map((i) => ({ value: i.value, placeholder: i.placeholder })));
    if (secrets.length > 0) {
      check(secrets.every((s) => s.value === "") && secrets.some((s) => s.placeholder.startsWith("set")), `${id}: after a reload no secret is shown, and the saved one is shown as set`);
    } else {
      // Secrets nested in a JSON field (a router's members): emptied in the page, still set.
      const saved = await (await fetch(`${url}api/connectors/${id}/config`)).json();
      const shown = saved.secretsSet.map((pointer) => pointer.split("/").slice(1).reduce((node, key) => node && node[key], saved.config));
      check(saved.secretsSet.length > 0 && shown.every((value) => value === ""), `${id}: after a reload the nested secrets are not shown, and shown as set (${saved.secretsSet})`);
    }
    const html = await page.content();
    check(!html.includes("simulator-") || !/simulator-[a-z]+-(auth-token|secret)/.test(html), `${id}: no saved secret in the page`);
    await page.$eval("#test-to", (input) => (input.value = ""));
    await page.type("#test-to", phone);
    await page.click("#send-test");
    await page.waitForFunction(() => /^(Sent|error)/.test(document.querySelector("#test-result").textContent));
    check((await textOf("#test-result")).startsWith("Sent"), `${id}: a test with the secret left empty uses the saved one`);
    check((await textOf("#connector-state")).includes("active SMS connector"), `${id}: is the active connector`);
  }

  // Switch back to the first connector: its saved config is still there; saving makes it active.
  const first = ids[0];
  await choose(first);
  const { key, value } = firstValues[first];
  check((await page.$eval(`#field-${key}`, (input) => input.value)) === value, `${first}: switching back restores its saved config`);
  check((await textOf("#connector-state")).startsWith("Saved, not active"), `${first}: saved, not active`);
  await page.click("#save");
  await page.waitForFunction(() => document.querySelector("#save-result").textContent.startsWith("Saved"));
  const after = await (await fetch(`${url}api/connectors`)).json();
  check(after.active === first, "switching back makes the first connector active again");
  check(after.connectors.every((c) => c.saved), "every connector kept its saved config");
} finally {
  await browser.close();
  consoleProcess.kill("SIGINT");
  rmSync(configDir, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${checks - failures} passed, ${failures} failed`);
  process.exit(1);
}
console.log(`${checks} passed, 0 failed`);
