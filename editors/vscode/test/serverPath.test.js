// Unit tests of server path resolution: node --test
const test = require("node:test");
const assert = require("node:assert");
const { candidate, validate } = require("../out/serverPath.js");

const base = { env: {}, setting: null, extensionDir: "/ext", platform: "linux", exists: () => false };

test("SASGUARD_PATH wins over everything", () => {
  const c = candidate({ ...base, env: { SASGUARD_PATH: "/opt/sg" }, setting: "/set/sg", exists: () => true });
  assert.deepStrictEqual(c, { command: "/opt/sg", source: "SASGUARD_PATH" });
});

test("then the setting, then the bundled binary, then PATH", () => {
  assert.deepStrictEqual(candidate({ ...base, setting: " /set/sg " }), { command: "/set/sg", source: "setting" });
  assert.deepStrictEqual(candidate({ ...base, exists: (p) => p === "/ext/server/sasguard" }), {
    command: "/ext/server/sasguard",
    source: "bundled",
  });
  assert.deepStrictEqual(candidate(base), { command: "sasguard", source: "PATH" });
  assert.deepStrictEqual(candidate({ ...base, platform: "win32" }), { command: "sasguard.exe", source: "PATH" });
});

test("empty values do not count", () => {
  assert.strictEqual(candidate({ ...base, env: { SASGUARD_PATH: "  " }, setting: "" }).source, "PATH");
});

test("validation rejects what is not a sasguard binary", async () => {
  await assert.rejects(validate("/definitely/not/here"), /--version` failed/);
  await assert.rejects(validate("true"), /not a sasguard version/);
  if (process.env.SASGUARD_BIN) {
    assert.match(await validate(process.env.SASGUARD_BIN), /^sasguard \d+\.\d+\.\d+$/);
  }
});
