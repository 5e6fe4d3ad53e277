// Finding the server: SASGUARD_PATH, else the `sasguard.path` setting, else the binary
// bundled in the extension (server/sasguard), else `sasguard` on PATH. A path the user
// chose (variable or setting) is used as given: if it does not work, they are told, rather
// than silently running another binary. Pure: no `vscode` import, so it is unit-tested.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export type Source = "SASGUARD_PATH" | "setting" | "bundled" | "PATH";

export interface Candidate {
  command: string;
  source: Source;
}

export interface Inputs {
  env: Record<string, string | undefined>;
  setting: string | null | undefined;
  extensionDir: string;
  platform: NodeJS.Platform;
  exists: (p: string) => boolean;
}

export function candidate(i: Inputs): Candidate {
  const fromEnv = i.env.SASGUARD_PATH?.trim();
  if (fromEnv) {
    return { command: fromEnv, source: "SASGUARD_PATH" };
  }
  const fromSetting = i.setting?.trim();
  if (fromSetting) {
    return { command: fromSetting, source: "setting" };
  }
  const exe = i.platform === "win32" ? "sasguard.exe" : "sasguard";
  const bundled = path.join(i.extensionDir, "server", exe);
  if (i.exists(bundled)) {
    return { command: bundled, source: "bundled" };
  }
  return { command: exe, source: "PATH" };
}

export function defaultInputs(extensionDir: string, setting: string | null | undefined): Inputs {
  return {
    env: process.env,
    setting,
    extensionDir,
    platform: process.platform,
    exists: (p) => fs.existsSync(p),
  };
}

/** Runs `<command> --version`; resolves to the version line, rejects with a readable reason. */
export function validate(command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ["--version"], { timeout: timeoutMs }, (err, stdout) => {
      const out = String(stdout).trim();
      if (err) {
        reject(new Error(`\`${command} --version\` failed: ${err.message}`));
      } else if (!out.startsWith("sasguard ")) {
        reject(new Error(`\`${command} --version\` printed "${out.slice(0, 80)}", not a sasguard version`));
      } else {
        resolve(out);
      }
    });
  });
}

export function describe(c: Candidate): string {
  switch (c.source) {
    case "SASGUARD_PATH":
      return `SASGUARD_PATH (${c.command})`;
    case "setting":
      return `the sasguard.path setting (${c.command})`;
    case "bundled":
      return `the bundled server (${c.command})`;
    default:
      return "`sasguard` on PATH";
  }
}
