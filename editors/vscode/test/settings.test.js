// Unit tests of settings translation: node --test
const test = require("node:test");
const assert = require("node:assert");
const { serverSettings } = require("../out/settings.js");

function inspector(values) {
  return (key) => (key in values ? values[key] : { globalValue: undefined });
}

test("defaults send nothing, so .sasguard.toml stays in charge", () => {
  assert.deepStrictEqual(serverSettings(inspector({ "rules.SAS001": { globalValue: "default" } })), {});
});

test("explicit values are sent with the server's key names", () => {
  const s = serverSettings(
    inspector({
      "rules.SAS007": { globalValue: "off" },
      "rules.SAS004": { workspaceValue: "error", globalValue: "hint" },
      maxLifetime: { workspaceFolderValue: " 1d " },
      maxFileSize: { globalValue: "" },
      exclude: { workspaceValue: ["vendor/"] },
      "allow.accounts": { globalValue: ["public"] },
      scanGitIgnored: { globalValue: false },
      logLevel: { globalValue: "debug" },
    }),
  );
  assert.deepStrictEqual(s, {
    rules: { SAS004: "error", SAS007: "off" },
    maxLifetime: "1d",
    exclude: ["vendor/"],
    allow: { accounts: ["public"] },
    scanGitIgnored: false,
    logLevel: "debug",
  });
});
