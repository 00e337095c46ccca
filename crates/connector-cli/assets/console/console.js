// The SMS connector console: plain JavaScript, no build step. It renders a form from a
// connector's JSON Schema and talks to the console's JSON API under /api.
"use strict";

const state = { connectors: [], current: null, timer: null, generation: 0, validation: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

// The phrase in the browser's language, when the metadata has it.
function localize(text) {
  if (!text) return "";
  for (const language of navigator.languages || [navigator.language || "en"]) {
    if (text[language]) return text[language];
    const base = language.split("-")[0];
    const match = Object.keys(text).find((key) => key.split("-")[0] === base);
    if (match) return text[match];
  }
  return text.en || "";
}

async function loadConnectors() {
  const answer = await api("GET", "/api/connectors");
  state.connectors = answer.connectors;
  $("mode").textContent = answer.simulator
    ? "Test messages go to the built-in provider simulator."
    : "Test messages go to the real providers.";
  const list = $("connectors");
  list.replaceChildren();
  for (const connector of answer.connectors) {
    const name = localize(connector.name);
    const button = el(
      "button",
      { type: "button", "data-id": connector.id, "aria-current": state.current && state.current.id === connector.id ? "true" : "false" },
      el("img", { src: connector.logoUrl, alt: "" }),
      el("span", { class: "name", text: name }),
      el("span", { class: "description", text: localize(connector.description) }),
    );
    if (connector.saved) button.querySelector(".name").append(el("span", { class: "badge", text: "saved" }));
    if (connector.active) button.querySelector(".name").append(el("span", { class: "badge active", text: "active" }));
    button.addEventListener("click", () => choose(connector.id));
    list.append(el("li", {}, button));
  }
}

async function choose(id) {
  const generation = ++state.generation;
  const [schema, readme, config] = await Promise.all([
    api("GET", `/api/connectors/${id}/schema`),
    api("GET", `/api/connectors/${id}/readme`),
    api("GET", `/api/connectors/${id}/config`),
  ]);
  if (generation !== state.generation) return;
  const connector = state.connectors.find((c) => c.id === id);
  state.current = { id, connector, schema: schema.schema, secretsSet: config.secretsSet || [], saved: config.saved };
  for (const button of document.querySelectorAll("nav button")) {
    button.setAttribute("aria-current", button.dataset.id === id ? "true" : "false");
  }
  $("detail").hidden = false;
  $("readme").innerHTML = readme.html;
  $("connector-name").textContent = localize(connector.name);
  $("connector-state").textContent = connector.active
    ? "This is the active SMS connector."
    : config.saved ? "Saved, not active." : "Not saved yet.";
  $("test-result").textContent = "";
  $("save-result").textContent = "";
  renderForm(state.current.schema, config.config || {});
  validateSoon(0);
}

// The first node of a schema behind any $ref.
function resolve(schema, node) {
  let current = node;
  for (let i = 0; i < 16 && current && current.$ref; i++) {
    const path = current.$ref.replace(/^#\//, "").split("/");
    let target = schema;
    for (const part of path) target = target && target[part];
    if (!target) break;
    current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== "$ref")) };
  }
  return current || {};
}

function choicesOf(node) {
  if (Array.isArray(node.enum)) return node.enum.map((value) => ({ value, title: String(value) }));
  const branches = node.oneOf || node.anyOf;
  if (Array.isArray(branches) && branches.length && branches.every((b) => "const" in b)) {
    return branches.map((b) => ({ value: b.const, title: b.title || String(b.const) }));
  }
  return null;
}

function renderForm(schema, config) {
  const fields = $("fields");
  fields.replaceChildren();
  const required = new Set(schema.required || []);
  for (const [key, raw] of Object.entries(schema.properties || {})) {
    const node = resolve(schema, raw);
    const id = `field-${key}`;
    const label = el("label", { for: id, text: node.title || key });
    if (required.has(key)) label.append(el("span", { class: "required", text: " *", "aria-hidden": "true" }));
    const description = el("small", { id: `${id}-description`, text: node.description || "" });
    const problems = el("div", { class: "problems", id: `${id}-problems`, role: "alert" });
    const value = config[key];
    const common = { id, name: key, "aria-describedby": `${id}-description ${id}-problems`, "data-key": key };
    let input;
    const choices = choicesOf(node);
    if (node.writeOnly) {
      const isSet = state.current.secretsSet.includes(`/${key}`);
      input = el("input", {
        ...common, type: "password", autocomplete: "new-password", "data-kind": "secret",
        placeholder: isSet ? "set (leave empty to keep it)" : "",
      });
      input.value = typeof value === "string" ? value : "";
    } else if (node.type === "boolean") {
      input = el("input", { ...common, type: "checkbox", "data-kind": "boolean" });
      input.checked = value === undefined ? node.default === true : value === true;
    } else if (choices) {
      input = el("select", { ...common, "data-kind": "choice" });
      if (!required.has(key)) input.append(el("option", { value: "", text: "" }));
      choices.forEach((choice, index) => {
        input.append(el("option", { value: String(index), text: choice.title }));
      });
      const index = choices.findIndex((c) => JSON.stringify(c.value) === JSON.stringify(value ?? node.default));
      input.value = index >= 0 ? String(index) : "";
      input.choices = choices;
    } else if (node.type === "integer" || node.type === "number") {
      input = el("input", { ...common, type: "number", "data-kind": "number", placeholder: node.default ?? "" });
      input.value = value ?? "";
    } else if (node.type === "string") {
      const example = Array.isArray(node.examples) ? node.examples[0] : node.default;
      input = el("input", { ...common, type: "text", "data-kind": "text", placeholder: example ?? "", spellcheck: "false" });
      input.value = value ?? "";
    } else {
      input = el("textarea", { ...common, "data-kind": "json", spellcheck: "false" });
      const shown = value ?? node.default ?? (node.type === "array" ? [] : undefined);
      input.value = shown === undefined ? "" : JSON.stringify(shown, null, 2);
    }
    input.addEventListener("input", () => validateSoon());
    input.addEventListener("change", () => validateSoon());
    const field = el("div", { class: "field", id: `${id}-field` }, label);
    if (input.type === "checkbox") {
      field.replaceChildren(el("label", { for: id }, input, ` ${node.title || key}`));
    } else {
      field.append(input);
    }
    field.append(description, problems);
    fields.append(field);
  }
}

// The config the form describes; JSON fields that do not parse are reported, not sent.
function collect() {
  const config = {};
  const unparsed = [];
  for (const input of document.querySelectorAll("#fields [data-key]")) {
    const key = input.dataset.key;
    switch (input.dataset.kind) {
      case "secret":
      case "text":
        if (input.value !== "") config[key] = input.value;
        break;
      case "boolean":
        config[key] = input.checked;
        break;
      case "number":
        if (input.value !== "") config[key] = Number(input.value);
        break;
      case "choice":
        if (input.value !== "") config[key] = input.choices[Number(input.value)].value;
        break;
      case "json":
        if (input.value.trim() === "") break;
        try {
          config[key] = JSON.parse(input.value);
        } catch (error) {
          unparsed.push({ path: `/${key}`, message: `not valid JSON: ${error.message}` });
        }
        break;
    }
  }
  return { config, unparsed };
}

function validateSoon(delay = 300) {
  clearTimeout(state.timer);
  state.timer = setTimeout(validate, delay);
}

async function validate() {
  if (!state.current) return;
  // Only the latest check is shown: an earlier one still in flight (the form as it was a
  // keystroke ago) must not overwrite what the operator sees now.
  const check = ++state.validation;
  const { config, unparsed } = collect();
  if (unparsed.length) {
    showProblems(unparsed, []);
    return false;
  }
  const answer = await api("POST", `/api/connectors/${state.current.id}/validate`, { config });
  if (check === state.validation) showProblems(answer.problems || [], answer.warnings || []);
  return answer.valid === true;
}

// Each problem at its field (the first segment of its path), the rest below the form.
function showProblems(problems, warnings) {
  const byField = new Map();
  const general = [];
  for (const problem of problems) {
    const key = (problem.path || "").split("/")[1];
    const field = key && document.getElementById(`field-${key}-problems`);
    if (field) {
      if (!byField.has(key)) byField.set(key, []);
      byField.get(key).push(problem);
    } else {
      general.push(problem);
    }
  }
  for (const node of document.querySelectorAll("#fields .field")) {
    const key = node.id.replace(/^field-/, "").replace(/-field$/, "");
    const list = byField.get(key) || [];
    node.classList.toggle("invalid", list.length > 0);
    const box = document.getElementById(`field-${key}-problems`);
    box.replaceChildren();
    if (list.length) {
      box.append(el("ul", {}, ...list.map((p) => el("li", { text: p.path.split("/").length > 2 ? `${p.path}: ${p.message}` : p.message }))));
    }
    const input = document.getElementById(`field-${key}`);
    if (input) input.setAttribute("aria-invalid", list.length ? "true" : "false");
  }
  const generalBox = $("general-problems");
  generalBox.replaceChildren();
  if (general.length) generalBox.append(el("ul", {}, ...general.map((p) => el("li", { text: `${p.path || "/"}: ${p.message}` }))));
  const warningBox = $("warnings");
  warningBox.replaceChildren();
  if (warnings.length) {
    warningBox.append(el("ul", {}, ...warnings.map((w) => el("li", { text: `warning[${w.kind}] ${w.path}: ${w.message}` }))));
  }
}

function showFailure(output, answer) {
  output.className = "error";
  output.textContent = `error[${answer.code}]: ${answer.message}`;
  if (answer.problems && answer.problems.length) showProblems(answer.problems, answer.warnings || []);
}

$("send-test").addEventListener("click", async () => {
  const output = $("test-result");
  output.className = "";
  output.textContent = "Sending…";
  const { config, unparsed } = collect();
  if (unparsed.length) {
    showProblems(unparsed, []);
    output.textContent = "";
    return;
  }
  const answer = await api("POST", `/api/connectors/${state.current.id}/test`, { config, to: $("test-to").value });
  if (answer.ok) {
    output.className = "ok";
    output.textContent = `Sent: message id ${answer.messageId}${answer.requestId ? `, request id ${answer.requestId}` : ""}${answer.via ? `, via ${answer.via}` : ""}`;
  } else {
    showFailure(output, answer);
  }
});

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const output = $("save-result");
  output.className = "";
  const { config, unparsed } = collect();
  if (unparsed.length) {
    showProblems(unparsed, []);
    return;
  }
  const answer = await api("POST", `/api/connectors/${state.current.id}/save`, { config });
  if (answer.ok) {
    const id = state.current.id;
    await loadConnectors();
    await choose(id);
    $("save-result").className = "ok";
    $("save-result").textContent = "Saved. This is now the active SMS connector.";
  } else {
    showFailure(output, answer);
  }
});

loadConnectors();
