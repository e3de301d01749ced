using System.Reflection;
using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Reconciliation;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Reconciliation;

public class StatusWritesTests
{
    [Fact]
    public void A_new_connector_starts_with_one_urgent_status_and_no_events_and_is_written_again_only_when_all_are_online()
    {
        var connector = Connector(users: 2, DeploymentEnvironment.Production);
        var first = ConnectorPlanner.Plan(Input(connector));
        Assert.Equal(2, first.Create.Count);
        Assert.True(StatusChange.Urgent(connector.Status, first.Status));
        Assert.Empty(first.Events);
        connector.Status = first.Status;

        // Pods coming up, then one of two online: progress that may wait.
        var starting = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", ready: false), Pod("sales-1", "bot2", "rev2", ready: false)));
        Assert.False(StatusComparer.Same(connector.Status, starting.Status));
        Assert.False(StatusChange.Urgent(connector.Status, starting.Status));
        var half = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2", ready: false)));
        Assert.Equal(ConnectorState.Online, half.Status.State);
        Assert.False(StatusChange.Urgent(connector.Status, half.Status));

        var online = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2")));
        Assert.True(StatusChange.Urgent(connector.Status, online.Status));
        Assert.Empty(online.Events);
        connector.Status = online.Status;
        Assert.True(StatusComparer.Same(connector.Status, ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2"))).Status));
    }

    [Fact]
    public void A_failing_connector_is_written_at_once_but_a_new_conversation_count_may_wait()
    {
        var connector = Connector(users: 2).WithStatus(desired: 2, nextSerial: 2);
        connector.Status = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2"))).Status;

        var busier = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", conversations: 7), Pod("sales-1", "bot2", "rev2")));
        Assert.False(StatusComparer.Same(connector.Status, busier.Status));
        Assert.False(StatusChange.Urgent(connector.Status, busier.Status));

        var crashing = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"), Pod("sales-1", "bot2", "rev2", ready: false, waitingReason: "CrashLoopBackOff")));
        Assert.True(StatusChange.Urgent(connector.Status, crashing.Status));
    }

    [Fact]
    public void A_new_generation_is_always_urgent()
    {
        var connector = Connector(users: 1).WithStatus(desired: 1, nextSerial: 1);
        connector.Status = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"))).Status;
        connector.Metadata.Generation = 2;
        Assert.True(StatusChange.Urgent(connector.Status, ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2"))).Status));
    }

    [Fact]
    public void The_status_comparer_sees_a_change_to_any_field_the_api_stores()
    {
        var connector = Connector(users: 2).WithStatus(desired: 2, nextSerial: 2);
        var report = new ConnectorStatusReport
        {
            State = ConnectorReportState.Online,
            AgentUser = "bot1",
            Revision = "rev2",
            Components = new ConnectorComponents { Bot = new ComponentReport { Status = ComponentState.Connected, Since = Now } },
        };
        var status = ConnectorPlanner.Plan(Input(connector, Pod("sales-0", "bot1", "rev2", report: report), Pod("sales-1", "bot2", "rev2", ready: false))).Status;
        status.ScaleDownCandidateSince = Now;
        status.ScaleUpCandidate = new ScaleUpCandidate { Since = Now, Replicas = 2 };

        var checkedFields = 0;
        foreach (var (path, mutate) in Mutations(status))
        {
            var copy = Clone(status);
            Assert.True(StatusComparer.Same(status, copy), "a copy compares equal");
            mutate(copy);
            Assert.False(StatusComparer.Same(status, copy), $"a change to {path} went unnoticed");
            checkedFields++;
        }
        Assert.True(checkedFields >= 40, $"only {checkedFields} fields checked");
    }

    private static AgentConnectorStatus Clone(AgentConnectorStatus status) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(status, AgentConnectorJsonContext.Default.AgentConnectorStatus), AgentConnectorJsonContext.Default.AgentConnectorStatus)!;

    /// <summary>One mutation per stored field, reaching into the first element of each list and into nested objects.</summary>
    private static IEnumerable<(string Path, Action<AgentConnectorStatus> Mutate)> Mutations(AgentConnectorStatus sample)
    {
        foreach (var (path, mutate) in MutationsOf(sample, "status")) yield return (path, s => mutate(s));
    }

    private static IEnumerable<(string Path, Action<object> Mutate)> MutationsOf(object sample, string path)
    {
        foreach (var property in sample.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = property.GetValue(sample);
            var where = $"{path}.{property.Name}";
            if (Changed(property.PropertyType, value) is { Found: true } changed)
            {
                yield return (where, o => property.SetValue(o, changed.Value));
            }
            else if (value is System.Collections.IList { Count: > 0 } list)
            {
                foreach (var (inner, mutate) in MutationsOf(list[0]!, where + "[0]"))
                    yield return (inner, o => mutate(((System.Collections.IList)property.GetValue(o)!)[0]!));
            }
            else if (value is not null && !property.PropertyType.IsValueType && property.PropertyType != typeof(string))
            {
                foreach (var (inner, mutate) in MutationsOf(value, where))
                    yield return (inner, o => mutate(property.GetValue(o)!));
            }
        }
    }

    private static (bool Found, object? Value) Changed(Type type, object? value)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        if (inner == typeof(string)) return (true, (string?)value + "x");
        if (inner == typeof(int)) return (true, ((int?)value ?? 0) + 1);
        if (inner == typeof(long)) return (true, ((long?)value ?? 0) + 1);
        if (inner == typeof(bool)) return (true, !((bool?)value ?? false));
        if (inner == typeof(DateTimeOffset)) return (true, ((DateTimeOffset?)value ?? Now).AddMinutes(1));
        if (inner.IsEnum)
        {
            var values = Enum.GetValues(inner);
            return (true, values.GetValue((Array.IndexOf(values, value ?? values.GetValue(0)) + 1) % values.Length));
        }
        return (false, null);
    }
}
