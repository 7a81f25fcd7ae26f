// urql (@urql/core with @urql/exchange-persisted) against the same live server: every contract
// operation by manifest id, by APQ and as text, in open and in persisted-only mode.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Client, type DocumentInput, fetchExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";
import type { DocumentNode, OperationDefinitionNode } from "graphql";

import { MyAccountsDocument } from "../generated/client/graphql.js";
import {
  assertEveryManifestOperation,
  assertRan,
  BASE,
  contractOperations,
  type Exchange,
  manifest,
  recorder,
  signIn,
} from "./wire.js";

type Mode = "manifest" | "apq" | "text";

const operationName = (document: DocumentNode): string =>
  (document.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode).name!.value;

function urql(token: string, mode: Mode, log: Exchange[]): Client {
  const ids = new Map(manifest().operations.map((op) => [op.name, op.id]));
  const persisted = mode === "manifest"
    // the manifest's id for the operation, never its text (urql's way of a persisted-query list)
    ? persistedExchange({ enforcePersistedQueries: true, enableForMutation: true, preferGetForPersistedQueries: false,
      generateHash: async (_query, document) => ids.get(operationName(document as DocumentNode)) })
    // APQ with urql's own sha256 of its own printing of the document
    : persistedExchange({ enableForMutation: true, preferGetForPersistedQueries: false });
  return new Client({
    url: `${BASE}/graphql/`,
    exchanges: mode === "text" ? [fetchExchange] : [persisted, fetchExchange],
    fetch: recorder(log),
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    preferGetMethod: false,
    requestPolicy: "network-only",
  });
}

async function send(client: Client, document: DocumentNode, variables: Record<string, unknown>, mutation: boolean) {
  const doc = document as DocumentInput<any, any>;
  await (mutation ? client.mutation(doc, variables) : client.query(doc, variables)).toPromise();
}

test("urql: every contract operation runs by manifest id, by APQ (hash, then hash and text) and as text", async () => {
  const token = await signIn();
  const accounts = await urql(token, "manifest", []).query(MyAccountsDocument, { first: 10, history: 0 }).toPromise();
  assert.equal(accounts.error, undefined);
  const operations = contractOperations(accounts.data!.myAccounts.edges[0].node.id);
  assertEveryManifestOperation(operations);
  for (const [name, document, variables, mutation] of operations) {
    for (const mode of ["manifest", "apq", "text"] as Mode[]) {
      const log: Exchange[] = [];
      await send(urql(token, mode, log), document, variables, mutation);
      const where = `urql ${name} (${mode})`;
      assertRan(log, where);
      if (mode === "text") {
        assert.equal(log.length, 1, where);
        assert.equal(log[0].body.extensions?.persistedQuery, undefined, where);
        continue;
      }
      assert.ok(!log[0].body.query, `${where}: the first request sends the hash alone`);
      if (mode === "manifest") assert.equal(log.length, 1, where);
      else if (log.length === 2) {
        assert.deepEqual(log[0].codes, ["PERSISTED_QUERY_NOT_FOUND"], where);
        assert.equal(typeof log[1].body.query, "string", where);
      } else assert.equal(log.length, 1, where);
      if (mode === "apq") {  // registered: from now on the hash alone runs it
        const again: Exchange[] = [];
        await send(urql(token, "apq", again), document, variables, mutation);
        assert.equal(again.length, 1, `${where} again: ${JSON.stringify(again.map((e) => e.codes))}`);
        assertRan(again, `${where} again`);
      }
    }
  }
});
