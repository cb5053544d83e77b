using System.Globalization;
using System.Text.Json.Nodes;

namespace NvmeLm.ApiServer.Tables;

/// <summary>apimachinery's duration.HumanDuration, which kubectl's AGE columns show.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        int seconds = (int)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }
        int minutes = (int)d.TotalMinutes;
        if (minutes < 10)
        {
            int s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }
        int hours = (int)d.TotalHours;
        if (hours < 8)
        {
            int m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            int h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        if (hours < 24 * 365 * 8)
        {
            int days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }
        return $"{hours / 24 / 365}y";
    }

    /// <summary>The age of an RFC 3339 timestamp, or <c>&lt;unknown&gt;</c> when absent.</summary>
    public static string Since(JsonNode? timestamp, DateTimeOffset now)
    {
        if (timestamp?.GetValue<string>() is string text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return Format(now - t);
        }
        return "<unknown>";
    }
}
