// Shared helpers for the golden-file generators in this folder.
// They load OpenAI's tiktoken (npm `tiktoken`, the Rust core as WASM) from the oracle
// directory (env FASTTOK_ORACLE, default ../shared/oracle beside the project), so the
// project itself never depends on node.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const oracleDir = resolve(process.env.FASTTOK_ORACLE ?? join(projectRoot, "../shared/oracle"));
if (!existsSync(join(oracleDir, "node_modules/tiktoken"))) {
  throw new Error(`no tiktoken under ${oracleDir}/node_modules: run 'npm ci' there or set FASTTOK_ORACLE`);
}
export const oracleRequire = createRequire(join(oracleDir, "package.json"));
export const tiktoken = oracleRequire("tiktoken");
export const goldenDir = join(projectRoot, "src/test/resources/golden");
