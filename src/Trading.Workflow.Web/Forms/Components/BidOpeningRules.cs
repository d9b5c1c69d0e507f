using System.Globalization;

namespace Trading.Workflow.Web.Forms.Components;

/// <summary>
/// The bid opening console's checks (开标): each bid has a bidder and a positive price in yuan with at most two
/// decimals, bidders are not repeated. Fewer than three bids is allowed here: the procedure decides (条例 44:
/// no opening, re-tender) from <c>bidderCount</c>.
/// </summary>
public static class BidOpeningRules
{
    public const string Key = "bid-opening";
    public const string BiddersVariable = "bidders";
    public const string CountVariable = "bidderCount";
    public const string RecordVariable = "openingRecord";

    public static BuiltInTaskComponent Component { get; } = new(Key, typeof(BidOpeningConsole), "开标台", "Bid opening console", Validate);

    public static FormValidationResult Validate(IReadOnlyDictionary<string, object?> submitted)
    {
        var errors = new List<FormFieldError>();
        var bids = new List<object?>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var rows = submitted.TryGetValue(BiddersVariable, out var raw) ? AsRows(raw) : [];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var name = (row.TryGetValue("bidder", out var n) ? Convert.ToString(n, CultureInfo.InvariantCulture) : null)?.Trim();
            var price = row.TryGetValue("price", out var p) ? ToDecimal(p) : null;
            var number = i + 1;
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(new(BiddersVariable, $"第 {number} 行缺少投标人名称。", $"Row {number} has no bidder name."));
            }
            else if (!names.Add(name))
            {
                errors.Add(new(BiddersVariable, $"投标人“{name}”重复。", $"The bidder '{name}' is listed twice."));
            }

            if (price is not { } value || value <= 0 || decimal.Round(value, 2) != value)
            {
                errors.Add(new(BiddersVariable, $"第 {number} 行的投标报价必须是大于零、最多两位小数的金额。", $"Row {number} needs a bid price above zero with at most two decimals."));
            }
            else
            {
                bids.Add(new Dictionary<string, object?> { ["bidder"] = name, ["price"] = value } as IReadOnlyDictionary<string, object?>);
            }
        }

        var record = submitted.TryGetValue(RecordVariable, out var r) ? Convert.ToString(r, CultureInfo.InvariantCulture)?.Trim() : null;
        if (string.IsNullOrEmpty(record))
        {
            errors.Add(new(RecordVariable, "请填写开标记录。", "The opening record is required."));
        }

        var values = new Dictionary<string, object?>
        {
            [BiddersVariable] = bids,
            [CountVariable] = (decimal)bids.Count,
            [RecordVariable] = record,
        };
        return new FormValidationResult(errors, values);
    }

    private static List<IReadOnlyDictionary<string, object?>> AsRows(object? raw) => raw switch
    {
        IEnumerable<IReadOnlyDictionary<string, object?>> typed => typed.ToList(),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } json => json.EnumerateArray()
            .Where(e => e.ValueKind == System.Text.Json.JsonValueKind.Object)
            .Select(e => (IReadOnlyDictionary<string, object?>)e.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.Number => (object?)p.Value.GetDecimal(),
                    System.Text.Json.JsonValueKind.String => p.Value.GetString(),
                    _ => null,
                }))
            .ToList(),
        IEnumerable<object?> items => items.OfType<IReadOnlyDictionary<string, object?>>().ToList(),
        _ => [],
    };

    private static decimal? ToDecimal(object? value) => value switch
    {
        decimal d => d,
        int or long or double or float => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
