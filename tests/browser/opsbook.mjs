// Runs the opsbook binary without blocking the test (its own HTTP server must answer meanwhile):
// resolves with the exit status and stderr.
import { spawn } from "node:child_process";

export function runOpsbook(binary, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("exit", (status) => resolve({ status, stderr }));
  });
}
