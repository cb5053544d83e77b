using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NvmeLm.Hardware.Emulated;

/// <summary>Reads PCI ids and class codes as hex strings (<c>"1b36"</c>, <c>"0x010802"</c>) or plain numbers; writes <c>"0x…"</c>.</summary>
public sealed class EmulatedHexJsonConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        string text = reader.GetString() ?? "";
        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length == 0 || !int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
        {
            throw new JsonException($"'{text}' is not a hex number (e.g. \"1b36\" or \"0x010802\")");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
        writer.WriteStringValue("0x" + value.ToString("x4", CultureInfo.InvariantCulture));
}
