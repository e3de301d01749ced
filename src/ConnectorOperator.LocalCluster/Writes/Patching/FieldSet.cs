using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>A set of owned fields, convertible to and from the FieldsV1 JSON of metadata.managedFields.</summary>
internal sealed class FieldSet
{
    private readonly HashSet<FieldPath> _members;

    public FieldSet(IEnumerable<FieldPath> members) => _members = [.. members];

    public static FieldSet Empty => new([]);

    public IReadOnlyCollection<FieldPath> Members => _members;

    public bool IsEmpty => _members.Count == 0;

    public bool Contains(FieldPath path) => _members.Contains(path);

    public FieldSet Union(FieldSet other) => new(_members.Concat(other._members));

    public FieldSet Intersect(FieldSet other) => new(_members.Where(other._members.Contains));

    public FieldSet Except(FieldSet other) => new(_members.Where(m => !other._members.Contains(m)));

    public bool SetEquals(FieldSet other) => _members.SetEquals(other._members);

    /// <summary>Reads FieldsV1: a node with "." or without children is a member.</summary>
    public static FieldSet FromFieldsV1(JsonObject? fieldsV1)
    {
        var members = new List<FieldPath>();
        if (fieldsV1 is not null)
        {
            Read(fieldsV1, FieldPath.Root, members);
        }

        return new FieldSet(members);
    }

    private static void Read(JsonObject node, FieldPath path, List<FieldPath> members)
    {
        foreach (var (key, child) in node)
        {
            if (key == ".")
            {
                members.Add(path);
                continue;
            }

            var childPath = path.Append(key);
            if (child is JsonObject obj && obj.Count > 0)
            {
                Read(obj, childPath, members);
            }
            else
            {
                members.Add(childPath);
            }
        }
    }

    /// <summary>Writes FieldsV1 with keys sorted and "." marking members that also have members below them.</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var member in _members)
        {
            var node = root;
            foreach (var element in member.Elements)
            {
                if (!node.Children.TryGetValue(element, out var next))
                {
                    next = new Node();
                    node.Children.Add(element, next);
                }

                node = next;
            }

            node.IsMember = true;
        }

        return root.ToJson();
    }

    private sealed class Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public bool IsMember { get; set; }

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (IsMember && Children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (element, child) in Children)
            {
                json[element] = child.ToJson();
            }

            return json;
        }
    }
}
