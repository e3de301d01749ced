using System.Text.Json.Nodes;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A messaging response: a code (above 399 is an error) and its body.</summary>
internal readonly record struct Outcome(int Code, JsonObject Body)
{
    /// <summary>Notifications that must reach the client right after this response (a subscription's current picture).</summary>
    public IReadOnlyList<JsonObject> FollowUps { get; init; } = [];

    public static Outcome Ok() => new(200, []);

    public static Outcome Ok(JsonObject body) => new(200, body);

    public static Outcome Error(int code, string message) => new(code, new JsonObject { ["msg"] = message });
}
