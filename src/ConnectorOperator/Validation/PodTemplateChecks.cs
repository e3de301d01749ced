using System.Globalization;
using ConnectorOperator.Api;

namespace ConnectorOperator.Validation;

/// <summary>
/// The pod template's strings end up in every connector pod: a value the pod API refuses would fail each create, so
/// the operator refuses it up front. Map keys are checked here only; a structural schema cannot constrain them.
/// </summary>
internal static class PodTemplateChecks
{
    private const string Field = "spec.podTemplate";

    public static void Check(ConnectorPodTemplate template, ProblemList problems)
    {
        CheckLabels($"{Field}.labels", template.Labels, problems);
        CheckLabels($"{Field}.nodeSelector", template.NodeSelector, problems);
        CheckMap($"{Field}.annotations", template.Annotations, SpecText.IsText, CustomConfigurationChecks.TextMessage, AgentConnectorRules.MaxTextLength, problems);
        CheckMap($"{Field}.resources.limits", template.Resources?.Limits, IsQuantity, QuantityMessage, AgentConnectorRules.MaxIdLength, problems);
        CheckMap($"{Field}.resources.requests", template.Resources?.Requests, IsQuantity, QuantityMessage, AgentConnectorRules.MaxIdLength, problems);
        if (template.PriorityClassName is { } priorityClass
            && (!SpecPatterns.DnsSubdomain.IsMatch(priorityClass) || priorityClass.Length > AgentConnectorRules.MaxSecretNameLength))
        {
            problems.Error($"{Field}.priorityClassName", $"{SpecValidator.Quote(priorityClass)} is not a PriorityClass name: lowercase letters, digits, '-' and '.'");
        }
        var tolerations = template.Tolerations ?? [];
        for (var i = 0; i < tolerations.Count; i++)
        {
            var field = $"{Field}.tolerations[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (tolerations[i] is not { } toleration)
            {
                problems.Error(field, "must be a toleration");
                continue;
            }
            CheckToken($"{field}.key", toleration.Key, problems);
            CheckToken($"{field}.operator", toleration.Operator, problems);
            CheckToken($"{field}.value", toleration.Value, problems);
            CheckToken($"{field}.effect", toleration.Effect, problems);
        }
    }

    private const string QuantityMessage = "is not a quantity such as 500m, 256Mi or 2";

    /// <summary>The pattern, and what the pod factory's quantity parser makes of it: a pattern match it cannot read would fail every pod.</summary>
    private static bool IsQuantity(string value)
    {
        if (!SpecPatterns.Quantity.IsMatch(value))
        {
            return false;
        }
        try
        {
            _ = new k8s.Models.ResourceQuantity(value).ToString();
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private const string LabelValueMessage = "is not a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    private static void CheckLabels(string field, Dictionary<string, string>? labels, ProblemList problems) =>
        CheckMap(field, labels, v => SpecPatterns.LabelValue.IsMatch(v), LabelValueMessage, AgentConnectorRules.MaxLabelValueLength, problems);

    private static void CheckMap(string field, Dictionary<string, string>? map, Func<string, bool> valueIsValid, string valueMessage, int maxLength, ProblemList problems)
    {
        foreach (var (key, value) in (map ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var entry = $"{field}[{SpecText.Escape(key)}]";
            if (!SpecText.IsIdentifier(key))
            {
                problems.Error(entry, $"{SpecValidator.Quote(key)} is not a key: {AgentConnectorRules.LoginNameMessage}");
            }
            else if (value is null || !valueIsValid(value) || SpecText.Length(value) > maxLength)
            {
                problems.Error(entry, $"{SpecValidator.Quote(value ?? "")} {valueMessage} (at most {maxLength.ToString(CultureInfo.InvariantCulture)} characters)");
            }
        }
    }

    private static void CheckToken(string field, string? value, ProblemList problems)
    {
        if (value is not null && (!SpecText.IsIdentifierOrEmpty(value) || SpecText.Length(value) > AgentConnectorRules.MaxQualifiedNameLength))
        {
            problems.Error(field, $"{SpecValidator.Quote(value)} must contain no whitespace, control or format characters");
        }
    }
}
