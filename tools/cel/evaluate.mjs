// Evaluates Kubernetes x-kubernetes-validations rules for the local API server double
// (src/ConnectorOperator.LocalCluster/Schema/NodeCelEvaluator.cs starts this once per process).
//
// Protocol: one JSON request per stdin line, one JSON response per stdout line, same order.
//   request:  {"id": 1, "checks": [{"rule": "...", "self": <json>, "oldSelf": <json>, "hasOldSelf": true,
//              "optionalOldSelf": false, "types": <hint>, "messageExpression": "..."}]}
//   response: {"id": 1, "results": [{"passed": true} | {"passed": false, "error": "...", "message": "..."}]}
// "error" starts with "rule compile error: " when the rule cannot be parsed (or is not boolean); otherwise it
// is the evaluation error (no such key, no matching overload, ...). "message" is the messageExpression result.
// "types" mirrors the schema of self: {"t": "int"|"double"|"intOrString"|"timestamp"|"duration"|"bytes",
// "p": {field: hint}, "i": itemHint, "a": additionalPropertiesHint}. It exists because JSON has one number
// type while CEL distinguishes int from double, and Kubernetes maps some string formats to CEL types.
//
// Only the standard CEL library plus the strings extension is bound. Kubernetes' own libraries are NOT
// available: lists (isSorted, sum, min, max, indexOf), regex (find, findAll), URLs (isURL, url()),
// authz, quantity, IP/CIDR, semver, format. Optional syntax (`?.`, `[?`) is not parsed; for rules with
// optionalOldSelf, oldSelf is an emulated optional supporting hasValue(), value() and orValue(x).
import { createInterface } from "node:readline";
import { celEnv, celMethod, CelScalar, isCelError, isCelMap, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

const OPTIONAL_MARK = "__cel_optional_has_value__";
const OPTIONAL_VALUE = "__cel_optional_value__";

function isOptional(v) {
  return isCelMap(v) && v.has(OPTIONAL_MARK);
}

const optionalMethods = [
  celMethod("hasValue", CelScalar.DYN, [], CelScalar.BOOL, function () {
    if (!isOptional(this)) throw new Error("hasValue() needs an optional value");
    return this.get(OPTIONAL_MARK) === true;
  }),
  celMethod("value", CelScalar.DYN, [], CelScalar.DYN, function () {
    if (!isOptional(this)) throw new Error("value() needs an optional value");
    if (this.get(OPTIONAL_MARK) !== true) throw new Error("optional.none() dereference");
    return this.get(OPTIONAL_VALUE);
  }),
  celMethod("orValue", CelScalar.DYN, [CelScalar.DYN], CelScalar.DYN, function (fallback) {
    if (!isOptional(this)) throw new Error("orValue() needs an optional value");
    return this.get(OPTIONAL_MARK) === true ? this.get(OPTIONAL_VALUE) : fallback;
  }),
];

const env = celEnv({
  variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
  funcs: [...strings, ...optionalMethods],
});

// Rules repeat on every request; planning once per distinct text keeps batches cheap.
const plans = new Map();

function compile(expression) {
  let entry = plans.get(expression);
  if (entry === undefined) {
    try {
      entry = { run: plan(env, parse(expression)) };
    } catch (e) {
      entry = { error: e instanceof Error ? e.message : String(e) };
    }
    plans.set(expression, entry);
  }
  return entry;
}

function convertString(value, kind) {
  if (kind === "timestamp" || kind === "duration") {
    // format: date has no time of day; Kubernetes reads it as midnight UTC.
    const text = kind === "timestamp" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
    const result = compile(`${kind}(self)`).run({ self: text });
    return isCelError(result) ? value : result;
  }
  if (kind === "bytes") return new Uint8Array(Buffer.from(value, "base64"));
  return value;
}

function toCel(value, hint) {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => toCel(item, hint?.i));
  switch (typeof value) {
    case "number":
      if (hint?.t === "double") return value;
      if (Number.isInteger(value)) return BigInt(value);
      return value;
    case "string":
      return hint?.t ? convertString(value, hint.t) : value;
    case "object": {
      const map = new Map();
      for (const [key, item] of Object.entries(value)) {
        map.set(key, toCel(item, hint?.p?.[key] ?? hint?.a));
      }
      return map;
    }
    default:
      return value;
  }
}

function optionalOf(present, value) {
  const map = new Map([[OPTIONAL_MARK, present]]);
  if (present) map.set(OPTIONAL_VALUE, value);
  return map;
}

function bindings(check) {
  const self = toCel(check.self, check.types);
  if (check.optionalOldSelf) {
    return { self, oldSelf: optionalOf(check.hasOldSelf === true, toCel(check.oldSelf, check.types)) };
  }
  return check.hasOldSelf ? { self, oldSelf: toCel(check.oldSelf, check.types) } : { self };
}

function errorText(result) {
  return result instanceof Error ? result.message : String(result);
}

// A messageExpression that fails or yields no usable string falls back to the static message.
function evaluateMessage(expression, vars) {
  if (!expression) return undefined;
  const compiled = compile(expression);
  if (compiled.error !== undefined) return undefined;
  const result = compiled.run(vars);
  if (typeof result !== "string" || result.trim() === "" || result.includes("\n")) return undefined;
  return result;
}

function evaluate(check) {
  const compiled = compile(check.rule);
  if (compiled.error !== undefined) {
    return { passed: false, error: `rule compile error: ${compiled.error}` };
  }
  try {
    const vars = bindings(check);
    const result = compiled.run(vars);
    if (isCelError(result)) {
      return { passed: false, error: errorText(result) };
    }
    if (typeof result !== "boolean") {
      return { passed: false, error: `rule compile error: rule must evaluate to a bool: ${check.rule.trim()}` };
    }
    if (result) return { passed: true };
    const message = evaluateMessage(check.messageExpression, vars);
    return message === undefined ? { passed: false } : { passed: false, message };
  } catch (e) {
    return { passed: false, error: errorText(e) };
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", (line) => {
  if (line.trim() === "") return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ id: null, fatal: `bad request: ${errorText(e)}` })}\n`);
    return;
  }
  const results = (request.checks ?? []).map(evaluate);
  process.stdout.write(`${JSON.stringify({ id: request.id, results })}\n`);
});
input.on("close", () => process.exit(0));
