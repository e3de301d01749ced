using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConnectorOperator.Simulator.Bot;

/// <summary>
/// The sample bot's brain: echo, greet, escalate on the tutorial's pattern
/// <c>*(agent|representative|help|human)*</c> (anywhere, any case), close on "bye", and answer "menu"
/// with structured content (rich content for the connector to publish).
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
            _ when MenuPattern().IsMatch(text) => Menu(),
            _ => Reply($"You said: {text}"),
        };
    }

    private static JsonObject Escalate(string? humanSkillId)
    {
        var action = new JsonObject { ["type"] = "escalate" };
        if (humanSkillId is not null)
        {
            action["skillId"] = humanSkillId;
        }

        return WithAction(Reply("Let me get you an agent."), action);
    }

    private static JsonObject Menu()
    {
        var answer = Reply("Here is what I can do:");
        answer["replies"]!.AsArray().Add(new JsonObject
        {
            ["structuredContent"] = new JsonObject
            {
                ["type"] = "vertical",
                ["elements"] = new JsonArray
                {
                    new JsonObject { ["type"] = "text", ["text"] = "Menu" },
                    new JsonObject
                    {
                        ["type"] = "button",
                        ["title"] = "Talk to an agent",
                        ["click"] = new JsonObject
                        {
                            ["actions"] = new JsonArray { new JsonObject { ["type"] = "publishText", ["text"] = "agent" } },
                        },
                    },
                },
            },
        });
        return answer;
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

    [GeneratedRegex(@"^\s*menu\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MenuPattern();
}
