using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>
/// The review bodies kubectl sends as protobuf (<c>auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>), decoded
/// to their JSON form. Field numbers follow k8s.io/api authorization/v1 and authentication/v1 generated.proto.
/// </summary>
internal static class ReviewProtobuf
{
    public static JsonObject? TryDecode(string? apiVersion, string? kind, ProtoReader raw)
    {
        var known = (apiVersion, kind) is ("authorization.k8s.io/v1", "SelfSubjectAccessReview" or "SubjectAccessReview" or "LocalSubjectAccessReview" or "SelfSubjectRulesReview")
            or ("authentication.k8s.io/v1", "SelfSubjectReview");
        if (!known)
        {
            return null;
        }

        var review = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        while (raw.TryReadTag(out var field, out var wire))
        {
            if (field == 2 && kind != "SelfSubjectReview")
            {
                review["spec"] = kind == "SelfSubjectRulesReview" ? RulesSpec(raw.ReadMessage()) : AccessSpec(raw.ReadMessage());
            }
            else
            {
                raw.Skip(wire);
            }
        }
        return review;
    }

    private static JsonObject AccessSpec(ProtoReader reader)
    {
        var spec = new JsonObject();
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1: spec["resourceAttributes"] = Strings(reader.ReadMessage(), ["namespace", "verb", "group", "version", "resource", "subresource", "name"]); break;
                case 2: spec["nonResourceAttributes"] = Strings(reader.ReadMessage(), ["path", "verb"]); break;
                case 3: Set(spec, "user", reader.ReadString()); break;
                case 4: ((spec["groups"] ??= new JsonArray()) as JsonArray)!.Add(reader.ReadString()); break;
                case 6: Set(spec, "uid", reader.ReadString()); break;
                default: reader.Skip(wire); break;
            }
        }
        return spec;
    }

    private static JsonObject RulesSpec(ProtoReader reader)
    {
        var spec = new JsonObject();
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1)
            {
                Set(spec, "namespace", reader.ReadString());
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return spec;
    }

    /// <summary>A message of string fields numbered 1..n in the order of <paramref name="names"/>; other fields are skipped.</summary>
    private static JsonObject Strings(ProtoReader reader, string[] names)
    {
        var result = new JsonObject();
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field >= 1 && field <= names.Length && wire == 2)
            {
                Set(result, names[field - 1], reader.ReadString());
            }
            else
            {
                reader.Skip(wire);
            }
        }
        return result;
    }

    // gogo-protobuf writes empty strings for unset fields; JSON omits them.
    private static void Set(JsonObject target, string field, string value)
    {
        if (value.Length > 0)
        {
            target[field] = value;
        }
    }
}
