using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConnectorOperator.Simulator.Bot;

/// <summary>
/// The sample bot's brain: echo, greet, escalate on the tutorial's pattern
/// <c>*(agent|representative|help|human)*</c> (anywhere, any case), close on "bye".
/// </summary>
internal static partial class SampleBot
{
    public static JsonObject Answer(JsonObject request, string? humanSkillId)
    {
        var eventType = request["event"]?["type"]?.GetValue<string>();
        var text = request["event"]?["text"]?.GetValue<string>() ?? "";
        return eventType switch
        {
            "greeting" => Reply("Hi! I am the sample bot. Ask me anything, or ask for an agent."),
            "stepUp" => Reply("Thanks, you are signed in now."),
            "escalationFailed" => Reply("Sorry, no agent can take this right now. I am still here."),
            _ when EscalationPattern().IsMatch(text) => Escalate(humanSkillId),
            _ when ByePattern().IsMatch(text) => WithAction(Reply("Goodbye!"), new JsonObject { ["type"] = "close" }),
            _ => Reply($"You said: {text}"),
        };
    }

    public static bool WantsAgent(string text) => EscalationPattern().IsMatch(text);

    private static JsonObject Escalate(string? humanSkillId)
    {
        var action = new JsonObject { ["type"] = "escalate" };
        if (humanSkillId is not null)
        {
            action["skillId"] = humanSkillId;
        }

        return WithAction(Reply("Let me get you an agent."), action);
    }

    private static JsonObject Reply(string text) => new()
    {
        ["replies"] = new JsonArray { new JsonObject { ["text"] = text } },
        ["seen"] = true,
    };

    private static JsonObject WithAction(JsonObject answer, JsonObject action)
    {
        answer["action"] = action;
        return answer;
    }

    [GeneratedRegex("(agent|representative|help|human)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EscalationPattern();

    [GeneratedRegex(@"^\s*bye\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ByePattern();
}
