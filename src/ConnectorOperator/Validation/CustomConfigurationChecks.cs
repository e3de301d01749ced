using ConnectorOperator.Api;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Validation;

/// <summary>
/// customConfiguration against the catalogue: reserved keys and bad values are errors; keys the connector type
/// ignores and unknown keys are warnings (an older connector's key is not worth blocking a rollout for).
/// </summary>
internal static class CustomConfigurationChecks
{
    public static void Check(IReadOnlyDictionary<string, string> configuration, ConversationType? type, ProblemList problems)
    {
        if (configuration.Count > AgentConnectorRules.MaxCustomConfigurationEntries)
        {
            problems.Error("spec.customConfiguration",
                $"has {configuration.Count} entries; at most {AgentConnectorRules.MaxCustomConfigurationEntries} are allowed");
        }
        foreach (var (key, value) in configuration.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var field = $"spec.customConfiguration[{SpecText.Escape(key)}]";
            if (!SpecText.IsIdentifier(key))
            {
                problems.Error(field, $"{SpecValidator.Quote(key)} is not a configuration key: {AgentConnectorRules.LoginNameMessage}");
                continue;
            }
            if (!SpecText.IsText(value ?? "") || SpecText.Length(value ?? "") > AgentConnectorRules.MaxTextLength)
            {
                problems.Error(field, $"{SpecValidator.Quote(value ?? "")} {TextMessage} (at most {AgentConnectorRules.MaxTextLength} characters)");
                continue;
            }
            if (!CustomConfigurationCatalogue.TryGet(key, out var entry))
            {
                problems.Warning(field, UnknownKeyMessage(key), SpecWarningReasons.CustomConfiguration);
                continue;
            }
            if (entry.IsReserved)
            {
                problems.Error(field, AgentConnectorRules.ReservedKeyMessage(entry));
                continue;
            }
            if (entry.Validate(value ?? "") is { } error)
            {
                problems.Error(field, error);
                continue;
            }
            if (type is { } known && Enum.IsDefined(known) && !entry.AppliesTo(known))
            {
                problems.Warning(field, NotApplicableMessage(entry, known), SpecWarningReasons.CustomConfiguration);
            }
        }
    }

    internal const string TextMessage = "must contain no control characters other than tab and newline";

    private static string UnknownKeyMessage(string key)
    {
        var message = $"{key} is not a known custom configuration field; the connector ignores it";
        return CustomConfigurationCatalogue.ClosestMatch(key) is { } match ? $"{message} (did you mean {match.Key}?)" : message;
    }

    private static string NotApplicableMessage(CustomConfigurationEntry entry, ConversationType kind)
    {
        if (!entry.AppliesToMessaging && !entry.AppliesToChat)
        {
            return $"{entry.Key} is an internal switch no connector uses; it has no effect";
        }
        var other = kind == ConversationType.Messaging ? ConversationType.Chat : ConversationType.Messaging;
        return $"{entry.Key} applies to {other} connectors only; this {kind} connector ignores it";
    }
}
