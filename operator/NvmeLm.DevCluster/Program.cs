using System.CommandLine;
using NvmeLm.DevCluster.Cli;

// A thin dispatcher: each command lives in Cli/ and owns its options.
var root = new RootCommand("NvmeLm dev cluster: an embedded Kubernetes API server and tools around it")
{
    ServeCommand.Create(),
    NvmeLm.DevCluster.Demo.DemoCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
