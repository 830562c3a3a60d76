// The GraphQL-over-HTTP conformance audit of the `graphql-http` package (its server audits, run
// from node_modules, no network) against $LEORA_URL/graphql. Fails on any error or warning; the
// audits' notices (recommendations beyond the spec's) are printed.
import { auditServer } from "graphql-http";

const url = new URL("/graphql", process.env.LEORA_URL ?? "http://127.0.0.1:8080").toString();

async function main(): Promise<void> {
  const results = await auditServer({ url });
  const failed: string[] = [];
  let ok = 0;
  for (const result of results) {
    if (result.status === "ok") {
      ok += 1;
      continue;
    }
    const line = `${result.status}: ${result.name} (${result.reason})`;
    if (result.status === "notice") console.log(`  notice  ${line}`);
    else failed.push(line);
  }
  console.log(`audit: ${ok} of ${results.length} audits ok, ${failed.length} errors or warnings`);
  if (failed.length > 0) throw new Error(failed.join("\n  "));
}

main().catch((error: unknown) => {
  console.error(`audit: FAILED:\n  ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
