using NvmeLm.NodeAgent.Cli;
using NvmeLm.NodeAgent.Output;

namespace NvmeLm.NodeAgent.Commands;

/// <summary>Writes a <see cref="CommandView"/> as JSON or text, as the session asks.</summary>
internal static class CommandOutput
{
    public static void Write(CliSession session, CommandView view)
    {
        if (session.Json)
        {
            session.WriteJson(view, CliJsonContext.Default.CommandView);
        }
        else
        {
            TextReport.Write(session.Output, view);
        }
    }
}
