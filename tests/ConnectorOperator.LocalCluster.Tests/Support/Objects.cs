using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>Small object builders for tests.</summary>
internal static class Objects
{
    public static JsonObject ConfigMap(string name, string ns = "default", JsonObject? labels = null, JsonObject? data = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Meta(name, ns, labels),
        ["data"] = data ?? new JsonObject { ["key"] = "value" },
    };

    public static JsonObject Pod(string name, string ns = "default", JsonObject? labels = null, string? nodeName = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox" }) };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = Meta(name, ns, labels), ["spec"] = spec };
    }

    public static JsonObject ServiceAccount(string ns, string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject OwnerReference(JsonObject owner, bool blockOwnerDeletion = false) => new()
    {
        ["apiVersion"] = owner["apiVersion"]!.GetValue<string>(),
        ["kind"] = owner["kind"]!.GetValue<string>(),
        ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
        ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = blockOwnerDeletion,
    };

    public static JsonObject WithOwner(JsonObject obj, JsonObject ownerReference)
    {
        obj["metadata"]!["ownerReferences"] = new JsonArray(ownerReference);
        return obj;
    }

    private static JsonObject Meta(string name, string ns, JsonObject? labels)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        return meta;
    }
}
