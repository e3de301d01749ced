namespace ConnectorOperator.Simulator.Options;

public sealed class SkillOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";
}
