// Subscriptions: the `graphql-ws` client on the server's WebSocket (`/graphql`, protocol
// graphql-transport-ws), with the typed documents from src/generated.
// `live.subscribe(OrderUpdatedDocument, { orderId })` is an async iterator of the operation's
// result type; `break` (or `return()`) completes the subscription.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print } from "graphql";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { GraphQLRequestError, type GraphQLErrorBody } from "./client.js";

/** Operations without variables may leave them out; the others must pass them. */
type VariablesArg<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

export interface LiveOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080 (`ws:` or `wss:` and `/graphql` follow). */
  url: string;
  /**
   * The access token, asked for at each (re)connection: after the server closes a connection with
   * `4403 Forbidden: TOKEN_EXPIRED`, a refreshed token is sent on the next attempt.
   */
  token: () => string | Promise<string>;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** Called when the server closes the connection, with its code and reason. */
  onClosed?: (code: number, reason: string) => void;
}

export interface LiveClient {
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesArg<TVariables>
  ): AsyncIterableIterator<TResult>;
  /** Closes the connection and every subscription on it. */
  dispose(): Promise<void>;
}

/** `http://host:port` → `ws://host:port/graphql` (`https` → `wss`). */
export function subscriptionUrl(url: string): string {
  const endpoint = new URL("/graphql", url);
  endpoint.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
  return endpoint.toString();
}

function isCloseEvent(event: unknown): event is { code: number; reason: string } {
  return typeof event === "object" && event !== null && "code" in event && "reason" in event;
}

export function createLiveClient(options: LiveOptions): LiveClient {
  const client: WsClient = createWsClient({
    url: subscriptionUrl(options.url),
    connectionParams: async () => ({ authorization: `Bearer ${await options.token()}` }),
    ...(options.webSocketImpl === undefined ? {} : { webSocketImpl: options.webSocketImpl }),
    on: {
      closed: (event) => {
        if (isCloseEvent(event)) options.onClosed?.(event.code, event.reason);
      },
    },
  });
  return {
    subscribe<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      ...[variables]: VariablesArg<TVariables>
    ): AsyncIterableIterator<TResult> {
      const operation = getOperationAST(document)?.name?.value ?? "anonymous subscription";
      const results = client.iterate<TResult>({
        query: print(document),
        variables: (variables ?? {}) as Record<string, unknown>,
      });
      const typed: AsyncIterableIterator<TResult> = {
        async next(): Promise<IteratorResult<TResult>> {
          const result = await results.next();
          if (result.done) return { done: true, value: undefined };
          const { data, errors } = result.value;
          if (errors?.length) {
            throw new GraphQLRequestError(operation, 0, errors as readonly GraphQLErrorBody[], null);
          }
          if (data == null) {
            throw new GraphQLRequestError(operation, 0, [{ message: "no data in the message" }], null);
          }
          return { done: false, value: data };
        },
        async return(): Promise<IteratorResult<TResult>> {
          await results.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return typed;
        },
      };
      return typed;
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
