using k8s.Models;
using NvmeLm.NodeAgent.Cli;
using NvmeLm.Operator.Cli;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// The container args the chart renders must be accepted by the real command lines of the operator and
/// the agent, so a renamed or removed flag breaks this test instead of a rollout.
/// </summary>
public sealed class ChartArgumentsTests
{
    [Theory]
    [InlineData("operator.replicas=1")]
    [InlineData("operator.leaderElection.enabled=false")]
    public async Task OperatorArgs_Should_ParseWithTheOperatorCommandLine(string setValue)
    {
        var container = (await HelmChart.TemplateAsync(setValue)).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();

        var errors = OperatorCommand.Create().Parse([.. container.Args]).Errors;

        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("agent.hardware=linux")]
    [InlineData("agent.devicePlugin.enabled=false")]
    [InlineData("agent.hardware=emulated")]
    [InlineData("agent.hardware=emulated", "agent.emulatedConfig=x")]
    public async Task AgentArgs_Should_ParseWithTheAgentCommandLine(params string[] setValues)
    {
        var container = (await HelmChart.TemplateAsync(setValues)).OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single();

        var errors = AgentCli.BuildRootCommand().Parse([.. container.Args]).Errors;

        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Message)));
    }
}
