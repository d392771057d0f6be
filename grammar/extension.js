// Starts `acre lsp` for case files (and, unless turned off, Markdown and text drafts).
// Install: `npm install` in this folder, then copy or link the folder into
// ~/.vscode/extensions/acre-case-files (no marketplace publishing).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("acre");
  const command = config.get("path", "acre");
  const selector = [{ scheme: "file", language: "acre" }];
  if (config.get("reviewDrafts", true)) {
    selector.push({ scheme: "file", language: "markdown" });
    selector.push({ scheme: "file", language: "plaintext" });
  }
  client = new LanguageClient(
    "acre",
    "acre",
    { command, args: ["lsp"] },
    { documentSelector: selector }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
