// Writes trusted-documents.json, the manifest of this package's operations (see
// src/trusted-documents.ts). Run after `npm run codegen`.
import { writeFile } from "node:fs/promises";
import { manifest, manifestText } from "../src/trusted-documents.js";

await writeFile("trusted-documents.json", manifestText());
console.log(`trusted-documents.json: ${Object.keys(manifest()).length} documents`);
