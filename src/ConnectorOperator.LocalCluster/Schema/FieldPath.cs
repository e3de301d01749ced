using System.Globalization;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Builds API field paths the way apimachinery's field.Path prints them: "spec.items[0].name", "spec.labels[app]".</summary>
internal static class FieldPath
{
    public static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Key(string path, string key) => path + "[" + key + "]";

    public static string Append(string path, IReadOnlyList<FieldPathSegment> segments)
    {
        foreach (var segment in segments)
        {
            path = segment.IsKey ? Key(path, segment.Name) : Child(path, segment.Name);
        }
        return path;
    }
}

/// <summary>A step of a rule's fieldPath: ".name" (child) or "['key']" (map key).</summary>
internal sealed record FieldPathSegment(string Name, bool IsKey);
