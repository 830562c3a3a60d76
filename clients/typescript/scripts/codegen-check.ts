// Fails when the committed src/generated files differ from what `npm run codegen` would write now
// (schema.graphql or an operation changed without regenerating).
import { generate } from "@graphql-codegen/cli";
import { readFile } from "node:fs/promises";
import config from "../codegen.js";
import { manifestText } from "../src/trusted-documents.js";

const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, silent: true }, false);
const stale: string[] = [];
for (const { filename, content } of outputs) {
  const committed = await readFile(filename, "utf8").catch(() => null);
  if (committed !== content) stale.push(filename);
}
// The manifest of trusted documents follows the operations too.
if ((await readFile("trusted-documents.json", "utf8").catch(() => null)) !== manifestText()) {
  stale.push("trusted-documents.json (run `npm run trusted-documents`)");
}
if (stale.length > 0) {
  console.error(`codegen:check: ${stale.join(", ")} differ(s) from a fresh generation; run \`npm run codegen\` in clients/typescript and commit the result`);
  process.exit(1);
}
console.log(`codegen:check: ${outputs.map((o) => o.filename).join(", ")} up to date`);
