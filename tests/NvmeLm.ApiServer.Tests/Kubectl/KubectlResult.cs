namespace NvmeLm.ApiServer.Tests.Kubectl;

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"kubectl exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }
}
