namespace ConnectorOperator.Validation;

/// <summary>
/// One problem with a spec. <see cref="Field"/> is the API field path: "spec.customConfiguration[messageDelay]".
/// <see cref="Reason"/> is the condition reason it shows under: errors all stall as InvalidSpec, warnings say which kind.
/// </summary>
public sealed record SpecProblem(string Field, string Message, string Reason = SpecProblem.InvalidSpec)
{
    public const string InvalidSpec = "InvalidSpec";

    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Reasons of the Warning condition for specs that run but deserve a look.</summary>
public static class SpecWarningReasons
{
    /// <summary>Unknown keys, or keys this conversation type ignores.</summary>
    public const string CustomConfiguration = "CustomConfiguration";

    /// <summary>role is a Messaging setting (lpUserRole); Chat connectors have no role.</summary>
    public const string RoleIgnoredOnChat = "RoleIgnoredOnChat";

    /// <summary>conversationsPerConnector above the documents' baseline of 50.</summary>
    public const string AboveConversationBaseline = "AboveConversationBaseline";

    /// <summary>One connector in Production: nothing to fail over to.</summary>
    public const string NoFailover = "NoFailover";
}
