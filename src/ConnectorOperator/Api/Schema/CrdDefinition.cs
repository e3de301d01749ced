using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Api.Schema;

/// <summary>What a CustomResourceDefinition says beyond the schema of its spec and status types.</summary>
public sealed record CrdDefinition
{
    public required ResourceType Resource { get; init; }

    public required string Singular { get; init; }

    public required string Description { get; init; }

    /// <summary>Every type the schema walk enters, spec and status included.</summary>
    public required SchemaTypeSet Types { get; init; }

    public required Type SpecType { get; init; }

    public required Type StatusType { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Columns of <c>kubectl get</c>, in this order; priority 1 shows only with <c>-o wide</c>.</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    public ScaleSubresource? Scale { get; init; }
}

public sealed record PrinterColumn(string Name, string JsonPath, string Type, string Description, int Priority = 0);

public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
