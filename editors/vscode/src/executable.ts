// Finds the server binary the way a shell would, so a missing one gets a clear message
// instead of a spawn error deep in the language client.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The absolute path of `name` (a path, `~/…`, or a bare name looked up on PATH), or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const expanded = name.startsWith("~/") ? path.join(os.homedir(), name.slice(2)) : name;
  if (expanded.includes("/") || expanded.includes(path.sep)) {
    const absolute = path.resolve(expanded);
    return isExecutable(absolute) ? absolute : undefined;
  }
  const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, expanded + extension);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
