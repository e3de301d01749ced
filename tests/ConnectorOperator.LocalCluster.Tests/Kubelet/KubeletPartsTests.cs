using ConnectorOperator.LocalCluster.Kubelet;

namespace ConnectorOperator.LocalCluster.Tests.Kubelet;

public sealed class KubeletPartsTests
{
    [Theory]
    [InlineData("ghcr.io/acme/connector:0.1.0", "ghcr.io/acme/connector")]
    [InlineData("registry:5000/team/app", "registry:5000/team/app")]
    [InlineData("registry:5000/team/app:1.2@sha256:abc", "registry:5000/team/app")]
    [InlineData("connector", "connector")]
    public void Image_repository_drops_tag_and_digest_but_not_a_registry_port(string image, string repository) =>
        Assert.Equal(repository, ImageMap.Repository(image));

    [Fact]
    public void Image_map_prefers_the_exact_image_then_the_repository()
    {
        var map = new ImageMap().Add("acme/connector", "dotnet", "any.dll").Add("acme/connector:dev", "dotnet", "dev.dll");
        Assert.Equal("dev.dll", map.Find("acme/connector:dev")!.Arguments[0]);
        Assert.Equal("any.dll", map.Find("acme/connector:1.0")!.Arguments[0]);
        Assert.Null(map.Find("acme/other:1.0"));
    }

    [Fact]
    public void Crash_loop_back_off_restarts_first_at_once_then_doubles_up_to_the_cap_and_resets_after_a_long_run()
    {
        var backOff = new CrashLoopBackOff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        var delays = Enumerable.Range(0, 8).Select(_ => backOff.NextDelay(TimeSpan.FromSeconds(1)).TotalSeconds).ToArray();
        Assert.Equal([0, 10, 20, 40, 80, 160, 300, 300], delays);
        Assert.Equal(TimeSpan.Zero, backOff.NextDelay(TimeSpan.FromMinutes(11)));
    }

    [Fact]
    public void Variable_references_expand_known_names_and_keep_unknown_and_escaped_ones()
    {
        var defined = new Dictionary<string, string> { ["A"] = "1" };
        Assert.Equal("1-$(B)-$(A)-$", ContainerEnvironment.Expand("$(A)-$(B)-$$(A)-$", defined));
    }

    [Fact]
    public void Pod_addresses_are_distinct_and_reused_after_release()
    {
        var addresses = new PodAddresses(7);
        var a = addresses.Assign("a");
        var b = addresses.Assign("b");
        Assert.NotEqual(a, b);
        Assert.StartsWith("127.7.", a, StringComparison.Ordinal);
        addresses.Release("a");
        Assert.Equal(a, addresses.Assign("c"));
    }
}
