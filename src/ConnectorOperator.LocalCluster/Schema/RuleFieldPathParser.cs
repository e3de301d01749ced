namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>Parses the relative JSON path of a rule's <c>fieldPath</c> (".spec.name", ".labels['app.kubernetes.io/name']").</summary>
internal static class RuleFieldPathParser
{
    public static IReadOnlyList<FieldPathSegment> Parse(string fieldPath, string schemaPath)
    {
        var segments = new List<FieldPathSegment>();
        var i = 0;
        while (i < fieldPath.Length)
        {
            if (fieldPath[i] == '.')
            {
                var end = i + 1;
                while (end < fieldPath.Length && fieldPath[end] != '.' && fieldPath[end] != '[')
                {
                    end++;
                }
                var name = fieldPath[(i + 1)..end];
                if (name.Length == 0)
                {
                    throw Invalid(fieldPath, schemaPath);
                }
                segments.Add(new FieldPathSegment(name, IsKey: false));
                i = end;
            }
            else if (fieldPath[i] == '[' && i + 1 < fieldPath.Length && fieldPath[i + 1] is '\'' or '"')
            {
                var quote = fieldPath[i + 1];
                var close = fieldPath.IndexOf(quote, i + 2);
                if (close < 0 || close + 1 >= fieldPath.Length || fieldPath[close + 1] != ']')
                {
                    throw Invalid(fieldPath, schemaPath);
                }
                segments.Add(new FieldPathSegment(fieldPath[(i + 2)..close], IsKey: true));
                i = close + 2;
            }
            else
            {
                throw Invalid(fieldPath, schemaPath);
            }
        }
        return segments;
    }

    private static InvalidSchemaException Invalid(string fieldPath, string schemaPath) =>
        new($"{schemaPath}.fieldPath: Invalid value: \"{fieldPath}\": must be a relative path like .name or ['key'] (array indexes are not supported)");
}
