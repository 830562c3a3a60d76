// The operations of src/operations/*.graphql held against the schema (../../schema.graphql): which
// root field each one covers, the root fields no operation covers yet, and placeholder variables
// that let any operation be sent. `npm run codegen:check` fails on an uncovered root field, `npm
// run scaffold-operation` drafts the missing operation, and the smoke test sends every operation
// with placeholders to prove the server accepts it (validation and cost limits).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type OperationTypeNode,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  parse,
  typeFromAST,
} from "graphql";

/** schema.graphql at the repository's root, generated from the server's code. */
export const schemaFile = fileURLToPath(new URL("../../../schema.graphql", import.meta.url));
/** Where the operations live, one file per domain. */
export const operationsDir = fileURLToPath(new URL("./operations", import.meta.url));

export function loadSchema(): GraphQLSchema {
  return buildSchema(readFileSync(schemaFile, "utf8"));
}

export interface Operation {
  /** The file under src/operations that holds it, e.g. `orders.graphql`. */
  file: string;
  name: string;
  type: OperationTypeNode;
  /** The root fields it selects (not through fragments: a root field is selected directly). */
  rootFields: string[];
  /** The arguments it passes to its first root field. */
  rootArguments: string[];
}

/** Every named operation of src/operations/*.graphql. */
export function loadOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const file of readdirSync(operationsDir).filter((name) => name.endsWith(".graphql")).sort()) {
    const document = parse(readFileSync(join(operationsDir, file), "utf8"));
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      operations.push({
        file,
        name: definition.name?.value ?? "(anonymous)",
        type: definition.operation,
        rootFields: definition.selectionSet.selections.flatMap((selection) =>
          selection.kind === Kind.FIELD ? [selection.name.value] : [],
        ),
        rootArguments: definition.selectionSet.selections.flatMap((selection) =>
          selection.kind === Kind.FIELD ? (selection.arguments ?? []).map((argument) => argument.name.value) : [],
        ),
      });
    }
  }
  return operations;
}

export interface RootField {
  type: OperationTypeNode;
  field: string;
  /** The name of the operation that covers it: the field's name with a capital, `orders` → `Orders`. */
  operationName: string;
}

/** Every root field of the schema's Query, Mutation and Subscription types. */
export function rootFields(schema: GraphQLSchema): RootField[] {
  const roots: Array<[OperationTypeNode, ReturnType<GraphQLSchema["getQueryType"]>]> = [
    ["query" as OperationTypeNode, schema.getQueryType()],
    ["mutation" as OperationTypeNode, schema.getMutationType()],
    ["subscription" as OperationTypeNode, schema.getSubscriptionType()],
  ];
  return roots.flatMap(([type, root]) =>
    Object.keys(root?.getFields() ?? {}).map((field) => ({ type, field, operationName: operationNameFor(field) })),
  );
}

export function operationNameFor(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}

/**
 * The root fields without their operation: an operation of the same type, named after the field
 * (`createOrder` → `CreateOrder`), that selects that field alone. Other operations may select the
 * same field differently (src/operations/apollo.graphql does), but each field has its one named
 * document to look for.
 */
export function uncoveredRootFields(schema: GraphQLSchema, operations: readonly Operation[]): RootField[] {
  return rootFields(schema).filter(
    (root) =>
      !operations.some(
        (operation) =>
          operation.type === root.type &&
          operation.name === root.operationName &&
          operation.rootFields.length === 1 &&
          operation.rootFields[0] === root.field,
      ),
  );
}

/** The arguments of a root field that its operation does not pass: it should take each one as a
 * variable, so that a client can use the whole field. */
export function unpassedArguments(schema: GraphQLSchema, operations: readonly Operation[]): Array<RootField & { missing: string[] }> {
  return rootFields(schema).flatMap((root) => {
    const operation = operations.find((o) => o.type === root.type && o.name === root.operationName && o.rootFields[0] === root.field);
    const type = root.type === "query" ? schema.getQueryType() : root.type === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
    const field = type?.getFields()[root.field];
    if (!operation || !field) return [];
    const missing = field.args.map((arg) => arg.name).filter((name) => !operation.rootArguments.includes(name));
    return missing.length > 0 ? [{ ...root, missing }] : [];
  });
}

/** A placeholder for each ID an operation needs: no row has it, so a lookup answers NOT_FOUND. */
export const placeholderId = "00000000-0000-7000-8000-000000000000";

/** A value of `type` that passes its coercion: the smallest one (null where allowed, an input
 * object's required fields only, a list of one). */
function placeholder(type: GraphQLInputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [placeholder(inner.ofType)];
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case "ID":
        return placeholderId;
      case "Int":
        return 1;
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "Money":
      case "Decimal":
        return "1.00";
      case "Date":
        return "2026-01-01";
      case "DateTime":
        return "2026-01-01T00:00:00Z";
      case "JSON":
        return {};
      default:
        return "placeholder";
    }
  }
  throw new Error(`no placeholder for ${String(inner)}`);
}

/** Variables for `operation`: a placeholder for each required one (no default), none for the
 * others, which keep their defaults (a connection's `first` its default page). */
export function placeholderVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue !== undefined || definition.type.kind !== Kind.NON_NULL_TYPE) continue;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`${operation.name?.value}: unknown type of $${definition.variable.name.value}`);
    variables[definition.variable.name.value] = placeholder(type);
  }
  return variables;
}
