using System.Globalization;
using System.Text;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>Builds "?a=1&amp;b=2", skipping nulls and escaping values.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _query = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return this;
        _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryBuilder Add(string name, int? value) =>
        value is { } v ? Add(name, v.ToString(CultureInfo.InvariantCulture)) : this;

    public override string ToString() => _query.ToString();
}
