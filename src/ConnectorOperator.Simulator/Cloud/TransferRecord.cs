namespace ConnectorOperator.Simulator.Cloud;

/// <summary>A conversation moved to a skill; <see cref="Escalation"/> when that skill is a human one.</summary>
public sealed record TransferRecord(string FromSkillId, string ToSkillId, string? FromAgent, DateTimeOffset At, bool Escalation);
