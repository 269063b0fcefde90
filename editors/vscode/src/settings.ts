// The server's settings, under the names `ipsecconf lsp` reads from
// initializationOptions and workspace/didChangeConfiguration.

/** What `vscode.WorkspaceConfiguration` offers; kept minimal so this builds without VS Code. */
export interface Configuration {
  get<T>(section: string): T | undefined;
}

export interface ServerSettings {
  rootDir: string | null;
  indent: "tab" | number;
  libreswanVersion: string;
  warnings: boolean;
}

export function serverSettings(configuration: Configuration): ServerSettings {
  const rootDir = configuration.get<string>("rootDir")?.trim();
  const indent = configuration.get<string | number>("indent");
  return {
    rootDir: rootDir ? rootDir : null,
    indent: typeof indent === "number" && Number.isInteger(indent) && indent >= 1 && indent <= 16 ? indent : "tab",
    libreswanVersion: configuration.get<string>("libreswanVersion") ?? "4",
    warnings: configuration.get<boolean>("warnings") ?? true,
  };
}
