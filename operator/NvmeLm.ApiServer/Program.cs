using System.CommandLine;
using NvmeLm.ApiServer.Cli;

// A thin dispatcher: each command lives in Cli/ and owns its options.
var root = new RootCommand("NvmeLm embedded Kubernetes API server (tests, development, the demo)")
{
    ServeCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
