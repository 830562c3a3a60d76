// A tiny typed GraphQL client: Node's fetch plus the typed documents from src/generated.
// `request(ProductsDocument, { first: 10 })` is checked against the operation's variables and
// returns its result type.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print } from "graphql";
import { documentId } from "./trusted-documents.js";

export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

/** The server answered with errors (or not with GraphQL at all). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorBody[],
    readonly requestId: string | null,
  ) {
    const details = errors
      .map((e) => `${e.extensions?.code ?? "NO_CODE"}: ${e.message}${e.extensions?.field ? ` (field ${e.extensions.field})` : ""}`)
      .join("; ");
    super(`${operation} failed (HTTP ${status}${requestId ? `, request ${requestId}` : ""}): ${details}`);
    this.name = "GraphQLRequestError";
  }

  /** The `extensions.code` of every error. */
  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code ?? "NO_CODE");
  }
}

/** Operations without variables may leave them out; the others must pass them. */
export type VariablesArg<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080 (`/graphql` is appended). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  /** Send each operation as its trusted document's id (`documentId`) instead of its text: for a
   * server started with this package's `trusted-documents.json`. */
  byDocumentId?: boolean;
}

export interface Client {
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): Promise<TResult>;
  /** The same client, signed in with `token`. */
  withToken(token: string): Client;
}

export function createClient(options: ClientOptions): Client {
  const endpoint = new URL("/graphql", options.url).toString();
  return {
    withToken: (token) => createClient({ ...options, token }),
    async request<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      ...[variables]: VariablesArg<TVariables>
    ): Promise<TResult> {
      const operation = getOperationAST(document)?.name?.value ?? "anonymous operation";
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...options.headers,
      };
      if (options.token) headers.authorization = `Bearer ${options.token}`;

      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify(
            options.byDocumentId
              ? { documentId: documentId(document), variables: variables ?? {} }
              : { query: print(document), variables: variables ?? {} },
          ),
        });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
        throw new Error(`${operation}: cannot reach ${endpoint}${cause}`);
      }
      const requestId = response.headers.get("x-request-id");
      const text = await response.text();
      let body: { data?: TResult | null; errors?: GraphQLErrorBody[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GraphQLRequestError(operation, response.status, [{ message: `not a GraphQL response: ${text.slice(0, 200)}` }], requestId);
      }
      if (body.errors?.length) {
        throw new GraphQLRequestError(operation, response.status, body.errors, requestId);
      }
      if (!response.ok || body.data == null) {
        throw new GraphQLRequestError(operation, response.status, [{ message: "no data in the response" }], requestId);
      }
      return body.data;
    },
  };
}
