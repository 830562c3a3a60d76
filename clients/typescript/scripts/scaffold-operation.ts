// Drafts the operation of a root field from schema.graphql, to paste into its domain's file under
// src/operations and then trim or extend by hand: `npm run scaffold-operation -- createTask`
// prints the draft of `createTask`; with no field named, the drafts of every root field that has
// no operation yet (those `npm run codegen:check` reports).
//
// The draft is named after the field (`CreateTask`), takes each argument as a variable of the
// same type and default, and selects the result's scalar fields; a related object gets its id and
// name-like fields, a list of objects their scalars, and a connection its count, page info and
// nodes. Nested connections and fields with required arguments are left out: add them, with a
// small `first`, where a client needs them.
import {
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  astFromValue,
  print,
} from "graphql";
import { loadOperations, loadSchema, rootFields, uncoveredRootFields, operationNameFor } from "../src/documents.js";

/** The fields that name a row for a person reading a result. */
const labels = ["id", "name", "code", "orderNumber", "invoiceNumber", "email", "fullName", "title", "slug", "key", "status"];

function isConnection(type: GraphQLOutputType): boolean {
  return getNamedType(type).name.endsWith("Connection");
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** Fields a selection can name without arguments (every argument optional). */
function selectable(type: GraphQLObjectType): Array<GraphQLField<unknown, unknown>> {
  const fields = Object.values(type.getFields()).filter((field) =>
    field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined),
  );
  // `id` first, the rest as the schema lists them.
  return [...fields.filter((field) => field.name === "id"), ...fields.filter((field) => field.name !== "id")];
}

function labelSelection(type: GraphQLObjectType, indent: string): string {
  const names = labels.filter((label) => {
    const field = type.getFields()[label];
    return field !== undefined && isLeafType(getNamedType(field.type));
  });
  // Nothing but an id to name it by: its scalars, then.
  const chosen = names.some((name) => name !== "id") ? names : selectable(type).filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name);
  return chosen.map((name) => `${indent}${name}\n`).join("");
}

function selection(type: GraphQLObjectType, indent: string, depth: number): string {
  if (type.name.endsWith("Connection")) {
    const node = getNamedType(type.getFields().edges?.type ?? type.getFields().nodes!.type) as GraphQLObjectType;
    const nodeType = getNamedType(node.getFields().node!.type) as GraphQLObjectType;
    return (
      `${indent}totalCount\n${indent}pageInfo {\n${indent}  hasNextPage\n${indent}  endCursor\n${indent}}\n` +
      `${indent}edges {\n${indent}  node {\n${selection(nodeType, `${indent}    `, depth + 1)}${indent}  }\n${indent}}\n`
    );
  }
  let text = "";
  for (const field of selectable(type)) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      text += `${indent}${field.name}\n`;
    } else if (isObjectType(named) && !isConnection(field.type)) {
      if (isList(field.type) && depth < 2) {
        text += `${indent}${field.name} {\n${selection(named, `${indent}  `, depth + 1)}${indent}}\n`;
      } else if (!isList(field.type) && depth < 2) {
        text += `${indent}${field.name} {\n${labelSelection(named, `${indent}  `)}${indent}}\n`;
      }
    }
  }
  return text;
}

export function scaffold(schema: GraphQLSchema, type: "query" | "mutation" | "subscription", fieldName: string): string {
  const root = type === "query" ? schema.getQueryType() : type === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  const field = root?.getFields()[fieldName];
  if (!root || !field) throw new Error(`${type} has no field ${fieldName}`);
  const variables = field.args.map((arg) => {
    const defaultValue = arg.defaultValue === undefined ? undefined : astFromValue(arg.defaultValue, arg.type);
    return `$${arg.name}: ${arg.type.toString()}${defaultValue ? ` = ${print(defaultValue)}` : ""}`;
  });
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const result = getNamedType(field.type);
  const body = isObjectType(result) ? ` {\n${selection(result, "    ", 0)}  }` : "";
  return (
    `${type} ${operationNameFor(fieldName)}${variables.length ? `(${variables.join(", ")})` : ""} {\n` +
    `  ${fieldName}${args.length ? `(${args.join(", ")})` : ""}${body}\n}\n`
  );
}

const schema = loadSchema();
const wanted = process.argv.slice(2);
const roots = wanted.length
  ? wanted.map((name) => {
      const root = rootFields(schema).find((r) => r.field === name);
      if (!root) throw new Error(`no root field ${name} in schema.graphql`);
      return root;
    })
  : uncoveredRootFields(schema, loadOperations());
console.log(roots.map((root) => scaffold(schema, root.type as "query" | "mutation" | "subscription", root.field)).join("\n"));
