using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Trading.Workflow.Cli.Output;

/// <summary>Writes one compact JSON object per line, Chinese kept readable (not \u-escaped).</summary>
public static class JsonLines
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Flush();
    }
}
