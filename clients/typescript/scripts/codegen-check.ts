// The drift check (`npm run codegen:check`). Fails when
//   - a root field of schema.graphql (query, mutation or subscription) has no operation of its own
//     in src/operations: one named after the field (`createOrder` → `CreateOrder`) that selects it
//     alone (`npm run scaffold-operation` drafts the missing ones), or that operation does not
//     pass each of the field's arguments (as a variable, so a client can use the whole field);
//   - the committed src/generated files differ from what `npm run codegen` would write now
//     (schema.graphql or an operation changed without regenerating);
//   - trusted-documents.json is not the manifest of the operations as generated now.
import { generate } from "@graphql-codegen/cli";
import { readFile } from "node:fs/promises";
import config from "../codegen.js";
import { loadOperations, loadSchema, rootFields, uncoveredRootFields, unpassedArguments } from "../src/documents.js";
import { manifest, manifestText } from "../src/trusted-documents.js";

const problems: string[] = [];

const schema = loadSchema();
const operations = loadOperations();
const uncovered = uncoveredRootFields(schema, operations);
if (uncovered.length > 0) {
  problems.push(
    `${uncovered.length} root field(s) of schema.graphql have no operation in src/operations:\n` +
      uncovered.map((root) => `    ${root.type} ${root.field}: expected \`${root.type} ${root.operationName}\`\n`).join("") +
      `  draft them with \`npm run scaffold-operation -- ${uncovered.map((root) => root.field).join(" ")}\`, add each to its domain's file and run \`npm run codegen\``,
  );
}

const unpassed = unpassedArguments(schema, operations);
if (unpassed.length > 0) {
  problems.push(
    `${unpassed.length} operation(s) leave arguments of their root field out:\n` +
      unpassed.map((root) => `    ${root.operationName} (${root.field}): ${root.missing.join(", ")}\n`).join("") +
      "  take each as a variable of the argument's type (`npm run scaffold-operation -- <field>` shows them)",
  );
}

const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, silent: true }, false);
const stale: string[] = [];
for (const { filename, content } of outputs) {
  const committed = await readFile(filename, "utf8").catch(() => null);
  if (committed !== content) stale.push(filename);
}
if (stale.length > 0) {
  problems.push(`${stale.join(", ")} differ(s) from a fresh generation; run \`npm run codegen\` in clients/typescript and commit the result`);
}
// The manifest of trusted documents follows the operations too (it is built from the generated
// module this process imported, so it is checked against a current one only when that is current).
if ((await readFile("trusted-documents.json", "utf8").catch(() => null)) !== manifestText()) {
  problems.push("trusted-documents.json is not the manifest of the generated operations; run `npm run trusted-documents` and commit it");
}

if (problems.length > 0) {
  console.error(`codegen:check: failed\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exit(1);
}
const roots = rootFields(schema);
console.log(
  `codegen:check: ${outputs.map((o) => o.filename).join(", ")} and trusted-documents.json up to date; ` +
    `${roots.length} root fields, each with its operation passing all its arguments (${operations.length} operations in src/operations, ` +
    `${Object.keys(manifest()).length} trusted documents)`,
);
