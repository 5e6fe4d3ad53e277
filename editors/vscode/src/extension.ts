// The sasguard extension: starts `sasguard lsp` for every document (files, untitled
// buffers, the source-control commit box) and keeps its settings in sync.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from "vscode-languageclient/node";

import { candidate, defaultInputs, describe, validate } from "./serverPath";
import { serverSettings } from "./settings";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

function settings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("sasguard");
  return serverSettings((key) => config.inspect(key));
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const setting = vscode.workspace.getConfiguration("sasguard").get<string | null>("path");
  const chosen = candidate(defaultInputs(context.extensionPath, setting));
  try {
    const version = await validate(chosen.command);
    output.appendLine(`Using ${version} from ${describe(chosen)}`);
  } catch (e) {
    const message = `sasguard: cannot start the server from ${describe(chosen)}: ${(e as Error).message}`;
    output.appendLine(message);
    const pick = await vscode.window.showErrorMessage(message, "Configure path", "Show output");
    if (pick === "Configure path") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "sasguard.path");
    } else if (pick === "Show output") {
      output.show();
    }
    return;
  }
  const serverOptions: ServerOptions = { command: chosen.command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file" },
      { scheme: "untitled" },
      { scheme: "vscode-scm" },
      { scheme: "vscode-notebook-cell" },
    ],
    initializationOptions: settings(),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        // Answer `workspace/configuration` with explicitly set values only.
        configuration: (params) => params.items.map((item) => (item.section === "sasguard" ? settings() : null)),
        didChangeConfiguration: async (sections, next) => next(sections),
      },
    },
  };
  client = new LanguageClient("sasguard", "sasguard", serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  if (client && client.state === State.Running) {
    await client.stop();
  }
  client = undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("sasguard");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("sasguard.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand("sasguard.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("sasguard.path")) {
        await stop();
        await start(context);
      } else if (e.affectsConfiguration("sasguard") && client) {
        await client.sendNotification("workspace/didChangeConfiguration", { settings: { sasguard: settings() } });
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
