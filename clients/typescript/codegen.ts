// GraphQL Code Generator: types for the whole schema and typed documents for every operation in
// src/operations. `npm run codegen` rewrites src/generated/graphql.ts; `npm run codegen:check`
// fails when the committed file differs from a fresh generation.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/operations/*.graphql"],
  overwrite: true,
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-operations", "typed-document-node"],
      config: {
        // The custom scalars as they travel in JSON.
        scalars: {
          DateTime: "string",
          Decimal: "string",
          Money: "string",
          Date: "string",
          JSON: "unknown",
        },
        strictScalars: true,
        useTypeImports: true,
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
