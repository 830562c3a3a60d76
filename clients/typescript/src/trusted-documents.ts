// Trusted documents: every operation of this package, by the SHA-256 of the text the client sends
// (`print(document)`). `npm run trusted-documents` writes them to trusted-documents.json, the
// manifest a server takes as GRAPHQL_TRUSTED_DOCUMENTS; `codegen:check` fails when it is stale.
import { createHash } from "node:crypto";
import { type DocumentNode, print } from "graphql";
import * as generated from "./generated/graphql.js";

/** The id a server's manifest knows `document` by: `sha256:<hex of its printed text>`. */
export function documentId(document: DocumentNode): string {
  return `sha256:${createHash("sha256").update(print(document)).digest("hex")}`;
}

/** A generated operation's document (fragments alone are exported too, and are not operations). */
function isOperation(value: unknown): value is DocumentNode {
  if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "Document") return false;
  return (value as DocumentNode).definitions.some((definition) => definition.kind === "OperationDefinition");
}

/** The manifest: each generated document's id and text, sorted by id. */
export function manifest(): Record<string, string> {
  const entries = Object.values(generated)
    .filter(isOperation)
    .map((document) => [documentId(document), print(document)] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

/** The manifest as trusted-documents.json holds it. */
export function manifestText(): string {
  return `${JSON.stringify(manifest(), null, 2)}\n`;
}
