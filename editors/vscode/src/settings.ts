// Translating VS Code settings into the server's settings: only values the user set
// explicitly are sent, so a workspace's .sasguard.toml is not overridden by defaults.
// Pure: it reads through an `inspect`-like function, so it is unit-tested without VS Code.

export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type Inspect = (key: string) => Inspected | undefined;

export const RULES = ["SAS001", "SAS002", "SAS003", "SAS004", "SAS005", "SAS006", "SAS007", "SAS008", "SAS009", "SAS010"];

function explicit(inspect: Inspect, key: string): unknown {
  const i = inspect(key);
  if (!i) {
    return undefined;
  }
  for (const v of [i.workspaceFolderValue, i.workspaceValue, i.globalValue]) {
    if (v !== undefined && v !== null) {
      return v;
    }
  }
  return undefined;
}

/** The server's settings object (keys as in .sasguard.toml), from `sasguard.*` settings. */
export function serverSettings(inspect: Inspect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rules: Record<string, string> = {};
  for (const id of RULES) {
    const v = explicit(inspect, `rules.${id}`);
    if (typeof v === "string" && v !== "default") {
      rules[id] = v;
    }
  }
  if (Object.keys(rules).length > 0) {
    out.rules = rules;
  }
  for (const key of ["maxLifetime", "maxLifetimeError", "maxFileSize"]) {
    const v = explicit(inspect, key);
    if (typeof v === "string" && v.trim() !== "") {
      out[key] = v.trim();
    }
  }
  const exclude = explicit(inspect, "exclude");
  if (Array.isArray(exclude) && exclude.length > 0) {
    out.exclude = exclude;
  }
  const allow: Record<string, unknown> = {};
  for (const key of ["accounts", "fingerprints"]) {
    const v = explicit(inspect, `allow.${key}`);
    if (Array.isArray(v) && v.length > 0) {
      allow[key] = v;
    }
  }
  if (Object.keys(allow).length > 0) {
    out.allow = allow;
  }
  const scan = explicit(inspect, "scanGitIgnored");
  if (typeof scan === "boolean") {
    out.scanGitIgnored = scan;
  }
  const level = explicit(inspect, "logLevel");
  if (typeof level === "string") {
    out.logLevel = level;
  }
  return out;
}
