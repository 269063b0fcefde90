// Every scope the grammar can produce must be asserted by at least one fixture in this
// folder, so a rule without a test (or a renamed scope) fails here.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

const here = new URL(".", import.meta.url);
const grammar = JSON.parse(readFileSync(new URL("../../syntaxes/ipsec-conf.tmLanguage.json", here), "utf8"));

/** Scope names of one rule (and the rules inside it), `$1` expanded from the regex's first group. */
function scopesOf(rule, found = new Set()) {
  const regex = rule.begin ?? rule.match ?? "";
  const alternatives = regex.match(/\(((?:[a-z]+\|)+[a-z]+)\)/)?.[1].split("|") ?? [];
  const add = (name) => {
    for (const scope of name.split(/\s+/).filter(Boolean)) {
      if (scope.includes("$1")) {
        assert.ok(alternatives.length > 0, `cannot expand ${scope} from ${regex}`);
        for (const alternative of alternatives) found.add(scope.replace("$1", alternative));
      } else {
        found.add(scope);
      }
    }
  };
  if (rule.name) add(rule.name);
  if (rule.contentName) add(rule.contentName);
  for (const key of ["captures", "beginCaptures", "endCaptures"]) {
    for (const capture of Object.values(rule[key] ?? {})) if (capture.name) add(capture.name);
  }
  for (const inner of rule.patterns ?? []) scopesOf(inner, found);
  return found;
}

function grammarScopes() {
  const found = new Set([grammar.scopeName]);
  for (const rule of [...grammar.patterns, ...Object.values(grammar.repository)]) scopesOf(rule, found);
  return found;
}

function assertedScopes() {
  const asserted = new Set([grammar.scopeName]);
  for (const file of readdirSync(here).filter((f) => f.endsWith(".conf"))) {
    for (const line of readFileSync(new URL(file, here), "utf8").split("\n")) {
      const assertion = line.match(/^#\s*(?:\^+|<[~]*-+)\s+(.*)$/);
      if (!assertion) continue;
      for (const scope of assertion[1].split(/\s+/)) if (scope && scope !== "-") asserted.add(scope);
    }
  }
  return asserted;
}

test("every grammar scope is asserted by a fixture", () => {
  const asserted = assertedScopes();
  const missing = [...grammarScopes()].filter((scope) => !asserted.has(scope)).sort();
  assert.deepEqual(missing, [], `scopes no fixture in test/grammar asserts: ${missing.join(", ")}`);
});

test("fixtures assert only scopes the grammar has", () => {
  const known = grammarScopes();
  const unknown = [...assertedScopes()].filter((scope) => !known.has(scope)).sort();
  assert.deepEqual(unknown, [], `fixtures assert scopes the grammar never produces: ${unknown.join(", ")}`);
});
