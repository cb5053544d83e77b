namespace NvmeLm.Charts.Tests;

/// <summary>
/// Bad values stop <c>helm install</c> (here: <c>helm template</c>, the same validation) with a message that names the
/// value and the rule, with helm 4 and helm 3: values.schema.json for single values, templates/validate.yaml for rules
/// between values.
/// </summary>
public sealed class ChartValuesSchemaTests
{
    public static TheoryData<int, string, string> BadValues()
    {
        var data = new TheoryData<int, string, string>();
        foreach (int helm in new[] { 4, 3 })
        {
            data.Add(helm, "agent.hardware=bogus", "agent");
            data.Add(helm, "operator.replicas=0", "replicas");
            data.Add(helm, "operator.replicaz=2", "replicaz");
            data.Add(helm, "operator.metricsPort=70000", "metricsPort");
            data.Add(helm, "image.pullPolicy=Sometimes", "pullPolicy");
            data.Add(helm, "agent.maxUnavailable=100%", "maxUnavailable");
            data.Add(helm, "agent.maxUnavailable=0", "maxUnavailable");
            data.Add(helm, "agent.journalDir=relative/dir", "journalDir");
            data.Add(helm, "operator.logLevel=Chatty", "logLevel");
            data.Add(helm, "metrics.serviceMonitor.interval=often", "interval");
            data.Add(helm, "operator.replicas=2,operator.leaderElection.enabled=false",
                "operator.replicas > 1 needs operator.leaderElection.enabled=true");
            data.Add(helm, "operator.replicas=2,operator.podDisruptionBudget.minAvailable=2",
                "operator.podDisruptionBudget.minAvailable (2) must be below operator.replicas (2)");
            data.Add(helm, "agent.emulatedConfig=x", "agent.emulatedConfig is used only with agent.hardware=emulated");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Install_Should_FailNamingTheValue_When_ValueIsBad(int helm, string setValue, string expected)
    {
        var result = await HelmChart.HelmAsync(helm, "template", "demo", HelmChart.ChartDirectory, "--set", setValue);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public async Task Schema_Should_NameTheRule_When_ValueHasTheWrongType(int helm)
    {
        var result = await HelmChart.HelmAsync(helm, "template", "demo", HelmChart.ChartDirectory, "--set", "agent.hardware=bogus");

        Assert.Contains("values don't meet the specifications of the schema", result.StandardError);
        Assert.Contains("linux", result.StandardError);
        Assert.Contains("emulated", result.StandardError);
    }
}
