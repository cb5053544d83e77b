using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Faults;

/// <summary>
/// Test fault injection: close every open watch, answer the next N matching requests with an error
/// status (409 Conflict, 429 TooManyRequests, 500 InternalError…) or after a delay, or answer the next
/// matching watch with 410 Gone. Rules are consumed in the order they were added.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly WatchHub _watches;

    internal FaultInjector(WatchHub watches) => _watches = watches;

    /// <summary>Requests answered by an injected fault so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Ends every open watch stream now (clients must re-watch from their last resourceVersion).</summary>
    public void CloseAllWatches() => _watches.CloseAll();

    /// <summary>Answers the next <paramref name="count"/> matching requests with <paramref name="statusCode"/> and a Status body.</summary>
    public void FailNext(int count, int statusCode, RequestMatch? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "an injected failure must be a 4xx or 5xx status");
        }
        Add(new Rule(match ?? RequestMatch.Any, count, statusCode, TimeSpan.Zero, goneOnWatch: false));
    }

    /// <summary>Holds the next <paramref name="count"/> matching requests for <paramref name="delay"/> before serving them.</summary>
    public void DelayNext(int count, TimeSpan delay, RequestMatch? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Add(new Rule(match ?? RequestMatch.Any, count, 0, delay, goneOnWatch: false));
    }

    /// <summary>The next matching watch gets an ERROR event with a 410 Gone Status, as for a too-old resourceVersion.</summary>
    public void ForceGoneOnNextWatch(RequestMatch? match = null) =>
        Add(new Rule((match ?? RequestMatch.Any) with { Verb = "watch" }, 1, 410, TimeSpan.Zero, goneOnWatch: true));

    /// <summary>Drops every pending rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Consumes the matching rules for one request.</summary>
    internal FaultDecision Evaluate(RequestAttributes request)
    {
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            for (int i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!rule.Match.Matches(request))
                {
                    continue;
                }
                rule.Remaining--;
                if (rule.Remaining == 0)
                {
                    _rules.RemoveAt(i);
                    i--;
                }
                if (rule.StatusCode != 0)
                {
                    Injected++;
                    return new FaultDecision(delay, rule.StatusCode, rule.GoneOnWatch);
                }
                delay += rule.Delay;
            }
            return new FaultDecision(delay, 0, false);
        }
    }

    private void Add(Rule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    private sealed class Rule
    {
        public Rule(RequestMatch match, int count, int statusCode, TimeSpan delay, bool goneOnWatch)
        {
            Match = match;
            Remaining = count;
            StatusCode = statusCode;
            Delay = delay;
            GoneOnWatch = goneOnWatch;
        }

        public RequestMatch Match { get; }

        public int Remaining { get; set; }

        public int StatusCode { get; }

        public TimeSpan Delay { get; }

        public bool GoneOnWatch { get; }
    }
}
