using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Selectors;
using ConnectorOperator.LocalCluster.Storage;

namespace ConnectorOperator.LocalCluster.Writes;

public sealed partial class WritePipeline
{
    /// <summary>
    /// pods/eviction: deletes the pod unless that would break its PodDisruptionBudget. With no disruption controller
    /// here, the budget is worked out from the pods at the time of the request (matching, not terminating, Ready).
    /// </summary>
    /// <exception cref="ApiStatusException">404; 429 when the budget allows no disruption; 500 with more than one budget.</exception>
    public DeleteResult Evict(ResourceType pods, string ns, string name, DeleteOptions options)
    {
        return _store.Locked(() =>
        {
            var pod = _store.Find(pods, ns, name) ?? throw NotFound(pods, name);
            var phase = pod["status"]?["phase"]?.ToString();
            if (!ObjectMeta.IsDeleting(pod) && phase is not ("Succeeded" or "Failed"))
            {
                CheckDisruptionBudget(pod, ns);
            }

            var (final, removed) = _collector.Delete(pods, pod, options.GracePeriodSeconds, options.PropagationPolicy);
            _collector.Collect();
            return new DeleteResult(ObjectStore.Present(pods, final), removed);
        });
    }

    private void CheckDisruptionBudget(JsonObject pod, string ns)
    {
        var budgets = _store.Catalog.All.First(r => r.Group == "policy" && r.Plural == "poddisruptionbudgets");
        var matching = _store.Objects(budgets)
            .Where(b => ObjectMeta.Namespace(b) == ns)
            .Select(b => (Budget: b, Selector: LabelSelector.FromObject(b["spec"]?["selector"] as JsonObject)))
            .Where(b => b.Selector?.Matches(pod) == true)
            .ToList();
        if (matching.Count == 0)
        {
            return;
        }

        if (matching.Count > 1)
        {
            throw new ApiStatusException(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        var (budget, selector) = matching[0];
        var podsType = BuiltInResources.All.First(r => r.Group.Length == 0 && r.Plural == "pods");
        var covered = _store.Objects(podsType)
            .Where(p => ObjectMeta.Namespace(p) == ns && selector!.Matches(p) && !ObjectMeta.IsDeleting(p)
                && p["status"]?["phase"]?.ToString() is not ("Succeeded" or "Failed"))
            .ToList();
        var expected = covered.Count;
        var healthy = covered.Count(IsReady);
        var desired = DesiredHealthy(budget["spec"] as JsonObject, expected);
        var allowed = IsReady(pod) ? healthy - desired > 0 : healthy >= desired;
        if (!allowed)
        {
            var details = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "DisruptionBudget",
                    ["message"] = $"The disruption budget {ObjectMeta.Name(budget)} needs {desired} healthy pods and has {healthy} currently",
                }),
            };
            throw new ApiStatusException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", details);
        }
    }

    private static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True");

    // minAvailable or maxUnavailable, each an integer or a percentage of the expected pods (rounded up).
    private static int DesiredHealthy(JsonObject? spec, int expected)
    {
        if (spec?["minAvailable"] is { } min)
        {
            return Scaled(min, expected);
        }

        if (spec?["maxUnavailable"] is { } max)
        {
            return Math.Max(0, expected - Scaled(max, expected));
        }

        return expected;
    }

    private static int Scaled(JsonNode value, int total)
    {
        if (JsonNumbers.TryGetLong(value, out var count))
        {
            return (int)count;
        }

        var text = value.ToString();
        return text.EndsWith('%') && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent)
            ? (int)Math.Ceiling(total * percent / 100.0)
            : throw StatusObjects.BadRequest($"invalid value for IntOrString: \"{text}\"");
    }
}
