using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Writes.Admission;

/// <summary>
/// The ValidatingAdmissionPolicy plugin: for every binding (in name order) whose policy and own matchResources
/// match the write, the policy's matchConditions, variables and validations are evaluated in CEL. A failed
/// validation under a Deny action rejects the write with the policy's reason (Invalid, 422, by default) and
/// kube-apiserver's message; Warn adds a warning; Audit records nothing here. An expression error counts as a
/// failure under failurePolicy Fail (the default) and is ignored under Ignore. The authorizer library asks the
/// double's own authorizer.
/// </summary>
internal sealed class ValidatingAdmissionPolicies(
    Func<ResourceType, IReadOnlyList<JsonObject>> stored,
    Func<string, string, string?, string, JsonObject?> find,
    IAuthorizer authorizer,
    ICelEvaluator? cel)
{
    public static readonly ResourceType Policies = BuiltInResources.Get(BuiltInResources.AdmissionGroup, "validatingadmissionpolicies");
    public static readonly ResourceType Bindings = BuiltInResources.Get(BuiltInResources.AdmissionGroup, "validatingadmissionpolicybindings");
    private const int MaxAuthorizerRounds = 8;

    public void Validate(AdmissionAttributes a, ICollection<string> warnings)
    {
        var bindings = stored(Bindings);
        if (bindings.Count == 0)
        {
            return;
        }
        var policies = stored(Policies).ToDictionary(p => JsonNodes.AsString(p["metadata"]?["name"]) ?? string.Empty, StringComparer.Ordinal);
        var namespaceObject = a.Resource.Namespaced && a.Namespace is { Length: > 0 } ns ? find("v1", "Namespace", null, ns) : null;
        foreach (var binding in bindings.OrderBy(b => JsonNodes.AsString(b["metadata"]?["name"]), StringComparer.Ordinal))
        {
            var spec = binding["spec"] as JsonObject ?? [];
            if (!policies.TryGetValue(JsonNodes.AsString(spec["policyName"]) ?? string.Empty, out var policy))
            {
                continue;
            }
            var policySpec = policy["spec"] as JsonObject ?? [];
            if (!ResourceRules.Match(policySpec["matchConstraints"] as JsonObject, a, namespaceObject)
                || (spec["matchResources"] is JsonObject narrower && !ResourceRules.Match(narrower, a, namespaceObject)))
            {
                continue;
            }
            Apply(a, policy, binding, namespaceObject, warnings);
        }
    }

    private void Apply(AdmissionAttributes a, JsonObject policy, JsonObject binding, JsonObject? namespaceObject, ICollection<string> warnings)
    {
        var policyName = JsonNodes.AsString(policy["metadata"]?["name"]) ?? string.Empty;
        var bindingName = JsonNodes.AsString(binding["metadata"]?["name"]) ?? string.Empty;
        var spec = policy["spec"] as JsonObject ?? [];
        var actions = PolicyRules.Strings(binding["spec"]?["validationActions"]).ToHashSet(StringComparer.Ordinal);
        var ignoreErrors = JsonNodes.AsString(spec["failurePolicy"]) == "Ignore";

        JsonObject? parameters = null;
        if (spec["paramKind"] is JsonObject paramKind)
        {
            parameters = Parameters(paramKind, binding["spec"]?["paramRef"] as JsonObject, a);
            if (parameters is null)
            {
                if (JsonNodes.AsString(binding["spec"]?["paramRef"]?["parameterNotFoundAction"]) == "Allow")
                {
                    return;
                }
                Decide(a, policyName, bindingName, actions, "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction", "Invalid", warnings);
                return;
            }
        }

        var validations = (spec["validations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var result = Evaluate(a, spec, validations, parameters, namespaceObject);
        foreach (var condition in (result["matchConditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonNodes.AsString(condition["error"]) is { } conditionError)
            {
                if (!ignoreErrors)
                {
                    Decide(a, policyName, bindingName, actions, conditionError, "Invalid", warnings);
                }
                return;
            }
            if (condition["matched"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
            {
                return;
            }
        }

        var outcomes = (result["validations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < validations.Count && i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            if (outcome["passed"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                continue;
            }
            if (JsonNodes.AsString(outcome["error"]) is { } error)
            {
                if (!ignoreErrors)
                {
                    Decide(a, policyName, bindingName, actions, error, "Invalid", warnings);
                }
                continue;
            }
            var validation = validations[i];
            var message = JsonNodes.AsString(outcome["message"]) ?? JsonNodes.AsString(validation["message"])
                ?? $"failed expression: {JsonNodes.AsString(validation["expression"])}";
            Decide(a, policyName, bindingName, actions, message, JsonNodes.AsString(validation["reason"]) ?? "Invalid", warnings);
        }
    }

    private static void Decide(AdmissionAttributes a, string policy, string binding, HashSet<string> actions, string message, string reason, ICollection<string> warnings)
    {
        if (actions.Contains("Warn"))
        {
            warnings.Add($"Validation failed for ValidatingAdmissionPolicy '{policy}' with binding '{binding}': {message}");
        }
        if (!actions.Contains("Deny"))
        {
            return;
        }
        var denial = $"ValidatingAdmissionPolicy '{policy}' with binding '{binding}' denied request: {message}";
        var qualified = a.Resource.QualifiedResource;
        var text = a.Name.Length == 0 ? $"{qualified} is forbidden: {denial}" : $"{qualified} \"{a.Name}\" is forbidden: {denial}";
        var code = reason switch
        {
            "Forbidden" => 403,
            "Unauthorized" => 401,
            "RequestEntityTooLarge" => 413,
            _ => 422,
        };
        var details = StatusObjects.Details(a.Name.Length == 0 ? null : a.Name, a.Resource.Group, a.Resource.Plural);
        details["causes"] = new JsonArray(new JsonObject { ["message"] = denial });
        throw new ApiStatusException(code, reason, text, details);
    }

    private JsonObject Evaluate(AdmissionAttributes a, JsonObject spec, List<JsonObject> validations, JsonObject? parameters, JsonObject? namespaceObject)
    {
        var evaluator = cel as IPolicyCelEvaluator
            ?? throw new ApiStatusException(500, "InternalError", "ValidatingAdmissionPolicy needs a CEL evaluator (ApiServerOptions.CelEvaluator)");
        var request = new JsonObject
        {
            ["object"] = a.Object?.DeepClone(),
            ["oldObject"] = a.OldObject?.DeepClone(),
            ["request"] = a.Request(),
            ["params"] = parameters?.DeepClone(),
            ["namespaceObject"] = namespaceObject?.DeepClone(),
            ["authorizer"] = new JsonObject
            {
                ["user"] = a.User.Name,
                ["requestResource"] = new JsonObject
                {
                    ["group"] = a.Resource.Group,
                    ["resource"] = a.Resource.Plural,
                    ["subresource"] = a.Subresource ?? string.Empty,
                    ["namespace"] = a.Namespace ?? string.Empty,
                    ["name"] = a.Name,
                },
            },
            ["variables"] = (spec["variables"] as JsonArray ?? []).DeepClone(),
            ["matchConditions"] = (spec["matchConditions"] as JsonArray ?? []).DeepClone(),
            ["validations"] = new JsonArray([.. validations.Select(v => (JsonNode)new JsonObject
            {
                ["expression"] = v["expression"]?.DeepClone(),
                ["messageExpression"] = v["messageExpression"]?.DeepClone(),
            })]),
        };
        var answers = new JsonObject();
        request["answers"] = answers;
        for (var round = 0; ; round++)
        {
            var result = evaluator.EvaluatePolicy(request);
            var pending = (result["pending"] as JsonArray ?? []).Select(JsonNodes.AsString).OfType<string>().ToList();
            if (pending.Count == 0 || round == MaxAuthorizerRounds)
            {
                return result;
            }
            foreach (var key in pending)
            {
                var decision = authorizer.Authorize(CheckAttributes(key, a.User));
                answers[key] = new JsonObject { ["allowed"] = decision.Allowed, ["reason"] = decision.Reason };
            }
        }
    }

    /// <summary>An authorizer check as evaluate.mjs keys it; the requester keeps its groups, a named ServiceAccount gets its own.</summary>
    private static RequestAttributes CheckAttributes(string key, UserInfo requester)
    {
        var check = JsonNode.Parse(key)!.AsObject();
        string Field(string name) => JsonNodes.AsString(check[name]) ?? string.Empty;
        var userName = Field("user");
        var user = userName == requester.Name || userName.Length == 0
            ? requester
            : userName.Split(':') is ["system", "serviceaccount", var ns, var name] ? UserInfo.ServiceAccount(ns, name, null) : new UserInfo(userName, []);
        return check.ContainsKey("path")
            ? RequestAttributes.ForPath(user, Field("verb"), Field("path"))
            : RequestAttributes.ForResource(user, Field("verb"), Field("group"), Field("resource"), Field("subresource"), Field("namespace"), Field("name"));
    }

    private JsonObject? Parameters(JsonObject paramKind, JsonObject? paramRef, AdmissionAttributes a)
    {
        if (paramRef is null || JsonNodes.AsString(paramRef["name"]) is not { } name)
        {
            return null;
        }
        var apiVersion = JsonNodes.AsString(paramKind["apiVersion"]) ?? string.Empty;
        var kind = JsonNodes.AsString(paramKind["kind"]) ?? string.Empty;
        // Without a namespace in paramRef, a namespaced param is looked up in the request's namespace.
        var ns = JsonNodes.AsString(paramRef["namespace"]) ?? a.Namespace;
        return find(apiVersion, kind, ns, name);
    }
}
