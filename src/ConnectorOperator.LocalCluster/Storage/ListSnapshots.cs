using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Storage;

/// <summary>
/// Consistent paging: the first page of a limited list keeps the full (filtered) result aside; continue tokens
/// page through that snapshot. Only the most recent snapshots are kept; an evicted one answers 410 Expired.
/// </summary>
internal sealed class ListSnapshots(int capacity)
{
    private readonly Dictionary<string, (string Owner, IReadOnlyList<JsonObject> Items)> _snapshots = [];
    private readonly Queue<string> _order = new();

    /// <param name="owner">What was listed (resource, namespace, selectors); a token only continues that list.</param>
    public string Keep(string owner, IReadOnlyList<JsonObject> items)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_snapshots)
        {
            _snapshots[id] = (owner, items);
            _order.Enqueue(id);
            while (_order.Count > Math.Max(1, capacity))
            {
                _snapshots.Remove(_order.Dequeue());
            }
        }

        return id;
    }

    public static string Token(long rv, string snapshot, int start)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = start, ["snapshot"] = snapshot }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="ApiStatusException">400 for a malformed token, 410 Expired when its snapshot is gone.</exception>
    public (long Rv, string Snapshot, int Start, IReadOnlyList<JsonObject> Items) Resolve(string token, string owner)
    {
        long rv;
        string snapshot;
        int start;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var json = JsonNode.Parse(Convert.FromBase64String(padded))!.AsObject();
            rv = json["rv"]!.GetValue<long>();
            snapshot = json["snapshot"]!.GetValue<string>();
            start = json["start"]!.GetValue<int>();
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw StatusObjects.BadRequest("continue key is not valid: illegal base64 data or malformed token");
        }

        lock (_snapshots)
        {
            if (!_snapshots.TryGetValue(snapshot, out var found))
            {
                throw StatusObjects.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            if (found.Owner != owner)
            {
                throw StatusObjects.BadRequest("continue key does not belong to this list: repeat the request with the same resource, namespace and selectors");
            }

            return (rv, snapshot, start, found.Items);
        }
    }
}
