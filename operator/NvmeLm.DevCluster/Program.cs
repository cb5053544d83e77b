using System.CommandLine;
using NvmeLm.DevCluster;

// The demo: the whole system (API server, operator, agents on emulated nodes) in one process.
var root = new RootCommand("NvmeLm dev cluster: the operator and node agents on emulated nodes against the embedded API server")
{
    DemoCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
