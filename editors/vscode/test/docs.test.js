// The documented server search order is the one candidate() uses: node --test
// Reads the `sasguard.path` description in package.json and the "Which server it runs" list in
// the extension's README, and checks that they name the sources in the order resolution uses.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { candidate } = require("../out/serverPath.js");

const root = path.join(__dirname, "..");

// The order candidate() really uses: with every source available, take the one it picks,
// remove it, and ask again.
function resolutionOrder() {
  const available = new Set(["SASGUARD_PATH", "setting", "bundled", "PATH"]);
  const order = [];
  while (available.size > 0) {
    const c = candidate({
      env: available.has("SASGUARD_PATH") ? { SASGUARD_PATH: "/env/sasguard" } : {},
      setting: available.has("setting") ? "/setting/sasguard" : null,
      extensionDir: "/ext",
      platform: "linux",
      exists: () => available.has("bundled"),
    });
    assert.ok(available.has(c.source), `candidate() picked ${c.source} twice`);
    order.push(c.source);
    available.delete(c.source);
  }
  return order;
}

// How each source is named in the documentation.
const names = {
  SASGUARD_PATH: /`SASGUARD_PATH`/,
  setting: /this setting|`sasguard\.path`/,
  bundled: /bundled/,
  PATH: /on `PATH`/,
};

// The sources in the order a text first names them; fails if one is not named.
function documentedOrder(text, where) {
  const first = Object.entries(names).map(([source, re]) => {
    const m = re.exec(text);
    assert.ok(m, `${where} does not name ${source} (${re})`);
    return [m.index, source];
  });
  return first.sort((a, b) => a[0] - b[0]).map(([, source]) => source);
}

test("resolution order is SASGUARD_PATH, setting, bundled, PATH", () => {
  assert.deepStrictEqual(resolutionOrder(), ["SASGUARD_PATH", "setting", "bundled", "PATH"]);
});

test("the sasguard.path description states the order resolution uses", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const prop = pkg.contributes.configuration.properties["sasguard.path"];
  const text = prop.markdownDescription ?? prop.description;
  assert.deepStrictEqual(documentedOrder(text, "the sasguard.path description"), resolutionOrder());
  // The variable overrides the setting: the description must not say it only applies when empty.
  assert.doesNotMatch(text, /Empty:|if (this setting is )?empty/i);
});

test("the extension README states the order resolution uses", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const m = /^## Which server it runs\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  assert.ok(m, 'README.md has no "## Which server it runs" section');
  assert.deepStrictEqual(documentedOrder(m[1], "README's server section"), resolutionOrder());
});
