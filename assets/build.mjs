// Builds Intact's NL Design System stylesheet from the packages pinned in
// package-lock.json. Plain Node (no bundler): the CSS packages ship ready-made
// CSS, so building means choosing, concatenating and shrinking it.
//
// Output (both committed, so that `make run` needs only Python):
//   src/intact/static/intact/vendor/nlds.css      components + theme tokens
//   src/intact/static/intact/vendor/LICENSES.txt  licence of every package used
//
// Run with `make assets` (npm ci + node build.mjs). The output is
// deterministic: the same lock file gives the same bytes.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const outDir = join(here, "..", "src", "intact", "static", "intact", "vendor");

// Components from @utrecht/component-library-css that Intact's templates use
// (or are likely to use: forms, tables, navigation, status). Each is the
// package @utrecht/<name>-css. Adding one here and running `make assets` is
// all it takes to use another component.
const COMPONENTS = [
  "root", "document", "body", "surface",
  "page", "page-layout", "page-header", "page-body", "page-content", "page-footer",
  "skip-link", "nav-bar", "nav-list", "breadcrumb-nav", "link-list", "pagination",
  "heading-1", "heading-2", "heading-3", "heading-4", "heading-5", "heading-6",
  "heading-group", "pre-heading", "paragraph", "link", "emphasis", "mark", "code",
  "code-block", "blockquote", "separator", "article", "figure", "img",
  "unordered-list", "ordered-list", "data-list", "table",
  "alert", "status-badge", "data-badge", "badge-list", "number-data",
  "button", "button-group", "button-link", "link-button", "action-group",
  "form", "form-field", "form-fieldset", "form-label", "form-field-description",
  "form-field-error-message", "textbox", "textarea", "select", "checkbox",
  "radio-button", "form-toggle", "accordion", "table-of-contents",
];

// Design tokens: the NL Design System example theme ("voorbeeld", EUPL-1.2).
// Utrecht's own token package is not used: its licence makes it proprietary
// to Gemeente Utrecht. The theme's selector is renamed to Intact's theme class;
// intact.css then sets Intact's own colours and fonts on top of it.
const TOKENS_PACKAGE = "@nl-design-system-unstable/voorbeeld-design-tokens";
const TOKENS_SELECTOR = ".voorbeeld-theme";
const THEME_SELECTOR = ".intact-theme";
// Only the tokens the Utrecht components read, and what those refer to.
const TOKEN_ROOTS = [/^--utrecht-/];

function readJSON(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function packageDir(name) {
  const dir = join(modules, ...name.split("/"));
  if (!existsSync(join(dir, "package.json"))) {
    throw new Error(`${name} is not installed: run \`npm ci\` in assets/ first`);
  }
  return dir;
}

// Remove comments and needless white space. Conservative on purpose: no
// rewriting of values, so that nothing inside url("data:...") changes meaning.
function shrink(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/@charset "[^"]*";/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join("\n");
}

function themeTokens() {
  const dir = packageDir(TOKENS_PACKAGE);
  const css = readFileSync(join(dir, "dist", "theme.css"), "utf8");
  const start = css.indexOf(`${TOKENS_SELECTOR} {`);
  if (start < 0) throw new Error(`${TOKENS_SELECTOR} not found in ${TOKENS_PACKAGE}`);
  const body = css.slice(css.indexOf("{", start) + 1, css.indexOf("\n}", start));
  const declarations = new Map();
  for (const match of body.matchAll(/^\s*(--[\w-]+)\s*:\s*([^;]*);/gm)) {
    declarations.set(match[1], match[2].trim());
  }
  // Keep the closure of the tokens the components read.
  const keep = new Set();
  const queue = [...declarations.keys()].filter((name) => TOKEN_ROOTS.some((re) => re.test(name)));
  while (queue.length) {
    const name = queue.pop();
    if (keep.has(name) || !declarations.has(name)) continue;
    keep.add(name);
    for (const ref of declarations.get(name).matchAll(/var\(\s*(--[\w-]+)/g)) queue.push(ref[1]);
  }
  const lines = [...declarations.entries()]
    .filter(([name]) => keep.has(name))
    .map(([name, value]) => `${name}: ${value};`);
  return { css: `${THEME_SELECTOR} {\n${lines.join("\n")}\n}`, count: lines.length };
}

function main() {
  const lock = readJSON(join(here, "package-lock.json"));
  const used = []; // {name, version, license, dir}
  const parts = [];

  for (const component of COMPONENTS) {
    const name = `@utrecht/${component}-css`;
    const dir = packageDir(name);
    const file = join(dir, "dist", "index.css");
    if (!existsSync(file)) throw new Error(`${name} has no dist/index.css`);
    parts.push(shrink(readFileSync(file, "utf8")));
    used.push({ name, dir });
  }
  const tokens = themeTokens();
  parts.push(shrink(tokens.css));
  used.push({ name: TOKENS_PACKAGE, dir: packageDir(TOKENS_PACKAGE) });
  // The umbrella package that pins the component versions.
  used.push({ name: "@utrecht/component-library-css", dir: packageDir("@utrecht/component-library-css") });

  for (const pkg of used) {
    const meta = readJSON(join(pkg.dir, "package.json"));
    const locked = lock.packages?.[`node_modules/${pkg.name}`];
    if (!locked || locked.version !== meta.version) {
      throw new Error(`${pkg.name}: installed ${meta.version} differs from package-lock.json`);
    }
    pkg.version = meta.version;
    pkg.license = meta.license;
  }
  used.sort((a, b) => a.name.localeCompare(b.name));

  const header = [
    "/*!",
    " * NL Design System CSS for Intact. GENERATED by assets/build.mjs from",
    " * assets/package-lock.json: do not edit; run `make assets`.",
    ` * ${COMPONENTS.length} components of @utrecht/component-library-css (EUPL-1.2)`,
    ` * and ${tokens.count} design tokens of ${TOKENS_PACKAGE} (EUPL-1.2).`,
    " * Licences: LICENSES.txt next to this file.",
    " */",
  ].join("\n");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "nlds.css"), `${header}\n${parts.join("\n")}\n`);

  // One copy of each distinct licence text, with the packages under it.
  const byText = new Map();
  for (const pkg of used) {
    const licenceFile = ["LICENSE.md", "LICENSE", "LICENSE.txt"]
      .map((f) => join(pkg.dir, f))
      .find((f) => existsSync(f));
    if (!licenceFile) throw new Error(`${pkg.name} ships no licence file`);
    const text = readFileSync(licenceFile, "utf8").trim();
    if (!byText.has(text)) byText.set(text, []);
    byText.get(text).push(`${pkg.name}@${pkg.version} (${pkg.license})`);
  }
  const sections = ["Licences of the third-party packages bundled in nlds.css", "Generated by assets/build.mjs.", ""];
  for (const [text, packages] of byText) {
    sections.push("=".repeat(78), "The following packages are distributed under this licence:");
    for (const p of packages) sections.push(`  - ${p}`);
    sections.push("-".repeat(78), text, "");
  }
  writeFileSync(join(outDir, "LICENSES.txt"), `${sections.join("\n")}\n`);

  const size = readFileSync(join(outDir, "nlds.css")).length;
  console.log(`nlds.css: ${COMPONENTS.length} components, ${tokens.count} tokens, ${size} bytes`);
  console.log(`LICENSES.txt: ${used.length} packages, ${byText.size} distinct licence text(s)`);
}

main();
