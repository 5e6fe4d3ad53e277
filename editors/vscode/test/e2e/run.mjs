// Tests the packaged extension in a real VS Code (code-server), driven headless through
// Debian's Chromium with playwright-core:
//   node run.mjs --vsix X.vsix --code-server path/to/code-server --screenshot out.png
// Checks the squiggle, the Problems entry and its message, hover, and the "Redact SAS
// signature" quick fix. Prints "vscode: N passed, N failed"; exits non-zero on failure.
// The signature in the fixture is synthetic (random bytes).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const require = createRequire(path.join(args["node-modules"] ?? process.cwd(), "x.js"));
const { chromium } = require("playwright-core");

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${String(detail).slice(0, 300)}` : ""}`);
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sasguard-vscode-"));
const ws = path.join(root, "workspace");
const userData = path.join(root, "user");
const extensions = path.join(root, "extensions");
fs.mkdirSync(path.join(userData, "User"), { recursive: true });
fs.mkdirSync(ws, { recursive: true });
fs.writeFileSync(
  path.join(userData, "User", "settings.json"),
  JSON.stringify({
    "workbench.startupEditor": "none",
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "workbench.tips.enabled": false,
    "editor.hover.delay": 100,
    "window.commandCenter": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "chat.disableAIFeatures": true,
  }),
);
const sig = encodeURIComponent(randomBytes(32).toString("base64"));
const url =
  "https://robustnessws4285631339.blob.core.windows.net/public-models/robust_imagenet?sv=2020-08-04&ss=bfqt&srt=sco" +
  `&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&st=2021-10-05T23:09:59Z&spr=https,http&sig=${sig}`;
fs.writeFileSync(path.join(ws, "download.py"), `import urllib.request\n\nMODEL_URL = "${url}"\nurllib.request.urlretrieve(MODEL_URL, "model.pt")\n`);

const cs = args["code-server"];
const install = spawnSync(cs, ["--extensions-dir", extensions, "--user-data-dir", userData, "--install-extension", args.vsix], {
  encoding: "utf8",
});
check("the .vsix installs", install.status === 0, install.stderr || install.stdout);

const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn(
  cs,
  [
    "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check",
    "--disable-workspace-trust", "--extensions-dir", extensions, "--user-data-dir", userData, ws,
  ],
  { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SASGUARD_PATH: "" } },
);
let serverLog = "";
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));

async function waitHttp() {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

let browser;
try {
  check("code-server starts", await waitHttp(), serverLog);
  browser = await chromium.launch({
    executablePath: args.chromium ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  const row = page.locator('.explorer-folders-view .monaco-list-row[aria-label*="download.py"]');
  await row.first().waitFor({ timeout: 60000 });
  await row.first().click();
  await page.waitForSelector(".monaco-editor .view-lines", { timeout: 30000 });

  const squiggle = page.locator(".monaco-editor .squiggly-error");
  const hasSquiggle = await squiggle.first().waitFor({ timeout: 60000 }).then(() => true, () => false);
  check("the token is underlined (error squiggle)", hasSquiggle);

  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row").filter({ hasText: "Account SAS, every container of 4 services" });
  const hasProblem = await problem.first().waitFor({ timeout: 30000 }).then(() => true, () => false);
  const problemText = hasProblem ? await problem.first().innerText() : await page.locator(".markers-panel").innerText().catch(() => "");
  check("Problems lists the finding with its message", hasProblem, problemText);
  check("the Problems entry names the rule", /SAS002/.test(problemText), problemText);
  check("the Problems entry never shows the signature", !problemText.includes(sig), "signature visible");
  if (args.screenshot) {
    fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
    await page.screenshot({ path: args.screenshot });
  }

  // Hover the token (retried: the first hover can open before the server's part arrives).
  const tokenLine = page.locator(".monaco-editor .view-line").filter({ hasText: "MODEL_URL" }).first();
  await tokenLine.click();
  // The squiggle element is re-rendered as decorations update: look it up at each attempt.
  const squiggleBox = async () => {
    for (let i = 0; i < 20; i++) {
      const b = await squiggle.first().boundingBox().catch(() => null);
      if (b) return b;
      await page.waitForTimeout(250);
    }
    return null;
  };
  const hover = page.locator(".monaco-hover").filter({ hasText: "Fingerprint" });
  let hoverText = "";
  for (let attempt = 0; attempt < 6 && !hoverText; attempt++) {
    const box = await squiggleBox();
    if (!box) continue;
    await page.mouse.move(box.x + 5, box.y - 60);
    await page.waitForTimeout(300);
    await page.mouse.move(box.x + 40, box.y + box.height / 2);
    hoverText = await hover.first().waitFor({ timeout: 8000 }).then(() => hover.first().innerText(), () => "");
  }
  check("hover shows the breakdown", /account SAS/.test(hoverText) && /Permissions/.test(hoverText), hoverText);
  check("hover keeps the signature redacted", hoverText !== "" && !hoverText.includes(sig) && hoverText.includes("…3D"), hoverText);
  // The headline is said once (the diagnostic's message), not again by the breakdown.
  const headlines = hoverText.split("Account SAS, every container").length - 1;
  check("hover does not repeat the headline", hoverText !== "" && headlines <= 1, hoverText);
  if (args.screenshot && hoverText) {
    await page.screenshot({ path: args.screenshot.replace(/\.png$/, "-hover.png") });
  }
  await page.keyboard.press("Escape");

  // Quick fix: Redact SAS signature (retried if the light bulb menu is not up yet).
  const item = page.locator(".action-widget .monaco-list-row").filter({ hasText: "Redact SAS signature" });
  let hasItem = false;
  for (let attempt = 0; attempt < 6 && !hasItem; attempt++) {
    const box = await squiggleBox();
    if (!box) continue;
    await page.keyboard.press("Escape");
    await page.mouse.click(box.x + 40, box.y + box.height / 2);
    await page.keyboard.press("Control+.");
    hasItem = await item.first().waitFor({ timeout: 6000 }).then(() => true, () => false);
  }
  check("the quick fix is offered", hasItem);
  if (hasItem) await item.first().click();
  const redacted = await page
    .locator(".monaco-editor .view-lines")
    .filter({ hasText: "sig=REDACTED" })
    .first()
    .waitFor({ timeout: 20000 })
    .then(() => true, () => false);
  check("the quick fix redacts the signature in the editor", redacted);
  const cleared = await page
    .waitForFunction(() => document.querySelectorAll(".monaco-editor .squiggly-error").length === 0, null, { timeout: 20000 })
    .then(() => true, () => false);
  check("the squiggle goes away", cleared);
  // Save: the file on disk is redacted.
  await page.keyboard.press("Control+S");
  let onDisk = "";
  for (let i = 0; i < 40 && !onDisk.includes("sig=REDACTED"); i++) {
    await page.waitForTimeout(250);
    onDisk = fs.readFileSync(path.join(ws, "download.py"), "utf8");
  }
  check("the saved file is redacted", onDisk.includes("sig=REDACTED") && !onDisk.includes(sig), onDisk.slice(0, 120));
} catch (e) {
  check("the scenario runs", false, e.stack);
} finally {
  await browser?.close();
  server.kill();
}
console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
