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
// Only the standard CEL library plus the strings extension is bound, and for ValidatingAdmissionPolicy the
// authorizer library (below). Kubernetes' other libraries are NOT available: lists (isSorted, sum, min, max,
// indexOf), regex (find, findAll), URLs (isURL, url()), quantity, IP/CIDR, semver, format. Optional syntax (`?.`, `[?`) is not parsed; for rules with
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

// Kubernetes' authorizer library for ValidatingAdmissionPolicy. The double's RBAC stays in .NET: a check whose
// answer is not in `answers` is recorded as pending (and denies for now); the caller answers every pending check
// and evaluates again, until nothing is pending. Values are maps tagged with AUTHZ (which builder they are).
const AUTHZ = "__cel_authorizer_kind__";

function authz(kind, fields) {
  return new Map([[AUTHZ, kind], ...Object.entries(fields)]);
}

function authzKind(v) {
  return isCelMap(v) ? v.get(AUTHZ) : undefined;
}

function requireAuthz(v, kinds, method) {
  const kind = authzKind(v);
  if (!kinds.includes(kind)) throw new Error(`found no matching overload for '${method}'`);
  return kind;
}

function withField(v, name, value) {
  const copy = new Map(v);
  copy.set(name, value);
  return copy;
}

let policyState = null;

function checkKey(target, verb) {
  const fields = {};
  for (const [k, v] of target) if (k !== AUTHZ) fields[k] = v;
  fields.verb = verb;
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));
}

const authorizerMethods = [
  celMethod("group", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (group) {
    requireAuthz(this, ["authorizer"], "group");
    return authz("group", { user: this.get("user"), group });
  }),
  celMethod("serviceAccount", CelScalar.DYN, [CelScalar.STRING, CelScalar.STRING], CelScalar.DYN, function (ns, name) {
    requireAuthz(this, ["authorizer"], "serviceAccount");
    return authz("authorizer", { user: `system:serviceaccount:${ns}:${name}` });
  }),
  celMethod("path", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (path) {
    requireAuthz(this, ["authorizer"], "path");
    return authz("path", { user: this.get("user"), path });
  }),
  celMethod("resource", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (resource) {
    requireAuthz(this, ["group"], "resource");
    return authz("resource", { user: this.get("user"), group: this.get("group"), resource, subresource: "", namespace: "", name: "" });
  }),
  celMethod("subresource", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (value) {
    requireAuthz(this, ["resource"], "subresource");
    return withField(this, "subresource", value);
  }),
  celMethod("namespace", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (value) {
    requireAuthz(this, ["resource"], "namespace");
    return withField(this, "namespace", value);
  }),
  celMethod("name", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (value) {
    requireAuthz(this, ["resource"], "name");
    return withField(this, "name", value);
  }),
  celMethod("check", CelScalar.DYN, [CelScalar.STRING], CelScalar.DYN, function (verb) {
    requireAuthz(this, ["resource", "path"], "check");
    const key = checkKey(this, verb);
    const answer = policyState?.answers?.[key];
    if (answer === undefined) {
      policyState?.pending.add(key);
      return authz("decision", { allowed: false, reason: "", error: "" });
    }
    return authz("decision", { allowed: answer.allowed === true, reason: answer.reason ?? "", error: answer.error ?? "" });
  }),
  celMethod("allowed", CelScalar.DYN, [], CelScalar.BOOL, function () {
    requireAuthz(this, ["decision"], "allowed");
    return this.get("allowed");
  }),
  celMethod("reason", CelScalar.DYN, [], CelScalar.STRING, function () {
    requireAuthz(this, ["decision"], "reason");
    return this.get("reason");
  }),
  celMethod("errored", CelScalar.DYN, [], CelScalar.BOOL, function () {
    requireAuthz(this, ["decision"], "errored");
    return this.get("error") !== "";
  }),
  celMethod("error", CelScalar.DYN, [], CelScalar.STRING, function () {
    requireAuthz(this, ["decision"], "error");
    return this.get("error");
  }),
];

const env = celEnv({
  variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
  funcs: [...strings, ...optionalMethods],
});

const policyEnv = celEnv({
  variables: {
    object: CelScalar.DYN,
    oldObject: CelScalar.DYN,
    request: CelScalar.DYN,
    params: CelScalar.DYN,
    namespaceObject: CelScalar.DYN,
    variables: CelScalar.DYN,
    authorizer: CelScalar.DYN,
  },
  funcs: [...strings, ...authorizerMethods],
});

// Rules repeat on every request; planning once per distinct text keeps batches cheap.
const plans = new Map();

const policyPlans = new Map();

function compile(expression, environment = env, cache = plans) {
  let entry = cache.get(expression);
  if (entry === undefined) {
    try {
      entry = { run: plan(environment, parse(expression)) };
    } catch (e) {
      entry = { error: e instanceof Error ? e.message : String(e) };
    }
    cache.set(expression, entry);
  }
  return entry;
}

const compilePolicy = (expression) => compile(expression, policyEnv, policyPlans);

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

// ValidatingAdmissionPolicy: request {"id", "policy": {object, oldObject, request, params, namespaceObject,
// authorizer: {user, requestResource}, answers: {key: {allowed, reason}}, variables: [{name, expression}],
// matchConditions: [{name, expression}], validations: [{expression, messageExpression}]}} or, to check a policy
// when it is written, {"id", "compile": ["expr", ...]}.
// response: {"id", "policy": {pending: [key, ...], matchConditions: [{matched, error}], validations:
// [{passed, error, message}]}} or {"id", "compile": [null | "error", ...]}. Keys are JSON texts of the check's
// fields (user, group, resource, subresource, namespace, name, path, verb), for the caller to answer.
function runPolicyExpression(expression, vars) {
  const compiled = compilePolicy(expression);
  if (compiled.error !== undefined) return { error: `compilation error: ${compiled.error}` };
  try {
    const result = compiled.run(vars);
    if (isCelError(result)) return { error: `expression '${expression}' resulted in error: ${errorText(result)}` };
    return { value: result };
  } catch (e) {
    return { error: `expression '${expression}' resulted in error: ${errorText(e)}` };
  }
}

function evaluatePolicy(policy) {
  policyState = { answers: policy.answers ?? {}, pending: new Set() };
  try {
    const requestResource = policy.authorizer?.requestResource ?? {};
    const authorizer = authz("authorizer", { user: policy.authorizer?.user ?? "" });
    authorizer.set("requestResource", authz("resource", {
      user: policy.authorizer?.user ?? "",
      group: requestResource.group ?? "",
      resource: requestResource.resource ?? "",
      subresource: requestResource.subresource ?? "",
      namespace: requestResource.namespace ?? "",
      name: requestResource.name ?? "",
    }));
    const variables = new Map();
    const vars = {
      object: toCel(policy.object),
      oldObject: toCel(policy.oldObject),
      request: toCel(policy.request),
      params: toCel(policy.params),
      namespaceObject: toCel(policy.namespaceObject),
      variables,
      authorizer,
    };
    const variableErrors = new Map();
    for (const variable of policy.variables ?? []) {
      const result = runPolicyExpression(variable.expression, vars);
      if (result.error !== undefined) variableErrors.set(variable.name, result.error);
      else variables.set(variable.name, result.value);
    }
    // A variable is evaluated where it is used: its error is the error of whatever reads it.
    const withVariables = (expression, run) => {
      for (const [name, error] of variableErrors) {
        if (new RegExp(`\\bvariables\\.${name}\\b`).test(expression)) return { error };
      }
      return run();
    };
    const matchConditions = (policy.matchConditions ?? []).map((condition) =>
      withVariables(condition.expression, () => {
        const result = runPolicyExpression(condition.expression, vars);
        if (result.error !== undefined) return { matched: false, error: result.error };
        if (typeof result.value !== "boolean") return { matched: false, error: `expression '${condition.expression}' must evaluate to bool` };
        return { matched: result.value };
      }));
    const validations = (policy.validations ?? []).map((validation) =>
      withVariables(validation.expression, () => {
        const result = runPolicyExpression(validation.expression, vars);
        if (result.error !== undefined) return { passed: false, error: result.error };
        if (typeof result.value !== "boolean") return { passed: false, error: `expression '${validation.expression}' must evaluate to bool` };
        if (result.value) return { passed: true };
        if (validation.messageExpression) {
          const message = runPolicyExpression(validation.messageExpression, vars);
          if (message.error === undefined && typeof message.value === "string" && message.value.trim() !== "" && !message.value.includes("\n")) {
            return { passed: false, message: message.value };
          }
        }
        return { passed: false };
      }));
    return { pending: [...policyState.pending], matchConditions, validations };
  } finally {
    policyState = null;
  }
}

function compileOnly(expressions) {
  return expressions.map((expression) => {
    const compiled = compilePolicy(expression);
    return compiled.error === undefined ? null : compiled.error;
  });
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
  if (request.policy !== undefined) {
    process.stdout.write(`${JSON.stringify({ id: request.id, policy: evaluatePolicy(request.policy) })}\n`);
    return;
  }
  if (request.compile !== undefined) {
    process.stdout.write(`${JSON.stringify({ id: request.id, compile: compileOnly(request.compile) })}\n`);
    return;
  }
  const results = (request.checks ?? []).map(evaluate);
  process.stdout.write(`${JSON.stringify({ id: request.id, results })}\n`);
});
input.on("close", () => process.exit(0));
