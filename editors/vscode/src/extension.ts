// The VS Code side of ipsecconf: starts `ipsecconf lsp` and passes the settings on.
import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

import { findExecutable } from "./executable";
import { serverSettings } from "./settings";

const LANGUAGE_ID = "ipsec-conf";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("ipsec.conf language server", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("ipsecconf.restartServer", () => restart()),
    vscode.commands.registerCommand("ipsecconf.showOutput", () => output?.show()),
    vscode.commands.registerCommand("ipsecconf.useForThisFile", async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) await vscode.languages.setTextDocumentLanguage(editor.document, LANGUAGE_ID);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration("ipsecconf")) return;
      if (event.affectsConfiguration("ipsecconf.serverPath")) {
        void restart();
      } else {
        void client?.sendNotification("workspace/didChangeConfiguration", {
          settings: { ipsecconf: serverSettings(vscode.workspace.getConfiguration("ipsecconf")) },
        });
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function restart(): Promise<void> {
  const old = client;
  client = undefined;
  await old?.stop();
  await start();
}

async function start(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration("ipsecconf");
  const requested = configuration.get<string>("serverPath")?.trim() || "ipsecconf";
  const command = findExecutable(requested, process.env);
  if (command === undefined) {
    await reportMissingServer(requested);
    return;
  }
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE_ID },
      { scheme: "untitled", language: LANGUAGE_ID },
    ],
    initializationOptions: serverSettings(configuration),
    outputChannel: output,
  };
  const next = new LanguageClient("ipsecconf", "ipsec.conf language server", serverOptions, clientOptions);
  try {
    await next.start();
    client = next;
  } catch (error) {
    output?.appendLine(`cannot start ${command} lsp: ${String(error)}`);
    void vscode.window.showErrorMessage(
      `ipsec.conf: the language server "${command} lsp" did not start: ${String(error)}`,
    );
  }
}

async function reportMissingServer(requested: string): Promise<void> {
  const message =
    `ipsec.conf: cannot find the language server "${requested}". ` +
    "Install it (cargo install --path crates/cli in the ipsecconf repository) " +
    'or set "ipsecconf.serverPath" to the ipsecconf binary. Highlighting works without it.';
  output?.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, "Open Settings");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "ipsecconf.serverPath");
  }
}
