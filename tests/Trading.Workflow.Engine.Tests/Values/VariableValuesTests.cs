using System.Text.Json;
using System.Text.Json.Nodes;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Tests.Values;

public class VariableValuesTests
{
    public static TheoryData<object, decimal> Numbers => new()
    {
        { 42, 42m },
        { 42L, 42m },
        { (short)-3, -3m },
        { (byte)7, 7m },
        { 7u, 7m },
        { ulong.MaxValue, 18446744073709551615m },
        { 0.1, 0.1m },
        { 2.5f, 2.5m },
        { 19.99m, 19.99m },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Normalize_EveryNumber_BecomesDecimal(object input, decimal expected)
    {
        var result = VariableValues.Normalize(input);

        Assert.IsType<decimal>(result);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    public void Normalize_DoubleWithoutDecimalForm_IsRejected(double input) =>
        Assert.Throws<VariableValueException>(() => VariableValues.Normalize(input));

    [Fact]
    public void Normalize_UtcDateTime_BecomesOffsetZero()
    {
        var result = VariableValues.Normalize(new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero), result);
    }

    [Fact]
    public void Normalize_UnspecifiedDateTime_IsTakenAsUtc()
    {
        var result = (DateTimeOffset)VariableValues.Normalize(new DateTime(2026, 1, 1, 8, 0, 0))!;

        Assert.Equal(TimeSpan.Zero, result.Offset);
        Assert.Equal(8, result.Hour);
    }

    [Fact]
    public void Normalize_TimeSpan_BecomesDuration() =>
        Assert.Equal(new IsoDuration(0, 0, 0, TimeSpan.FromHours(2)), VariableValues.Normalize(TimeSpan.FromHours(2)));

    [Fact]
    public void Normalize_CharAndGuid_BecomeStrings()
    {
        var guid = Guid.NewGuid();

        Assert.Equal("x", VariableValues.Normalize('x'));
        Assert.Equal(guid.ToString(), VariableValues.Normalize(guid));
    }

    [Fact]
    public void Normalize_ArrayAndList_BecomeListsOfCanonicalValues()
    {
        var result = (IReadOnlyList<object?>)VariableValues.Normalize(new object[] { 1, "a", new List<int> { 2, 3 } })!;

        Assert.Equal(1m, result[0]);
        Assert.Equal("a", result[1]);
        Assert.Equal([2m, 3m], (IReadOnlyList<object?>)result[2]!);
    }

    [Fact]
    public void Normalize_TypedDictionary_BecomesObject()
    {
        var result = (IReadOnlyDictionary<string, object?>)VariableValues.Normalize(new Dictionary<string, int> { ["a"] = 1 })!;

        Assert.Equal(1m, result["a"]);
    }

    [Fact]
    public void Normalize_DictionaryWithNonStringKeys_IsRejected() =>
        Assert.Throws<VariableValueException>(() => VariableValues.Normalize(new Dictionary<int, string> { [1] = "a" }));

    [Fact]
    public void Normalize_CanonicalList_IsReturnedWithoutCopy()
    {
        var list = new List<object?> { 1m, "a", new Dictionary<string, object?> { ["b"] = true } };

        Assert.Same(list, VariableValues.Normalize(list));
    }

    [Fact]
    public void Normalize_ObjectListWithIntItem_IsCopiedWithDecimal()
    {
        var list = new List<object?> { 1m, 2 };

        var result = (IReadOnlyList<object?>)VariableValues.Normalize(list)!;

        Assert.NotSame(list, result);
        Assert.Equal(2m, result[1]);
    }

    [Fact]
    public void Normalize_JsonElement_MapsJsonTypes()
    {
        var element = JsonDocument.Parse("""{"n": 1.50, "s": "x", "b": true, "z": null, "l": [1, 2]}""").RootElement;

        var result = (IReadOnlyDictionary<string, object?>)VariableValues.Normalize(element)!;

        Assert.Equal("1.50", ((decimal)result["n"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("x", result["s"]);
        Assert.Equal(true, result["b"]);
        Assert.Null(result["z"]);
        Assert.Equal([1m, 2m], (IReadOnlyList<object?>)result["l"]!);
    }

    [Fact]
    public void Normalize_JsonNode_MapsJsonTypes()
    {
        var node = JsonNode.Parse("""{"a": [1, "x"]}""")!;

        var result = (IReadOnlyDictionary<string, object?>)VariableValues.Normalize(node)!;

        Assert.Equal([1m, "x"], (IReadOnlyList<object?>)result["a"]!);
    }

    private sealed class Customer
    {
        public string Name { get; set; } = "x";
    }

    [Fact]
    public void Normalize_ArbitraryClrObject_IsRejectedNamingTheType()
    {
        var error = Assert.Throws<VariableValueException>(() => VariableValues.Normalize(new Customer()));

        Assert.Contains("Customer", error.MessageEn);
        Assert.Contains("Customer", error.MessageZh);
    }

    [Fact]
    public void Normalize_NestedUnsupportedValue_NamesItsPath()
    {
        var value = new Dictionary<string, object?> { ["order"] = new Dictionary<string, object?> { ["lines"] = new object?[] { 1m, new Customer() } } };

        var error = Assert.Throws<VariableValueException>(() => VariableValues.Normalize(value));

        Assert.Contains("order.lines[1]", error.MessageEn);
    }

    [Fact]
    public void Normalize_SelfReferencingList_IsRejected()
    {
        var list = new List<object> { 1 };
        list.Add(list);

        Assert.Throws<VariableValueException>(() => VariableValues.Normalize(list));
    }

    [Fact]
    public void Normalize_Enum_IsRejected() =>
        Assert.Throws<VariableValueException>(() => VariableValues.Normalize(DayOfWeek.Monday));

    [Theory]
    [InlineData(null, "null")]
    [InlineData("s", "string")]
    [InlineData(true, "boolean")]
    public void TypeName_NamesPrimitiveTypes(object? value, string expected) => Assert.Equal(expected, VariableValues.TypeName(value));

    [Fact]
    public void TypeName_NamesTemporalAndCompositeTypes()
    {
        Assert.Equal("number", VariableValues.TypeName(1m));
        Assert.Equal("date", VariableValues.TypeName(new DateOnly(2026, 1, 1)));
        Assert.Equal("date and time", VariableValues.TypeName(DateTimeOffset.UnixEpoch));
        Assert.Equal("duration", VariableValues.TypeName(IsoDuration.Zero));
        Assert.Equal("list", VariableValues.TypeName(new List<object?>()));
        Assert.Equal("context", VariableValues.TypeName(new Dictionary<string, object?>()));
    }

    [Fact]
    public void DeepEquals_NumbersCompareByValue() => Assert.True(VariableValues.DeepEquals(1.0m, 1.00m));

    [Fact]
    public void DeepEquals_DateTimesCompareByInstant() =>
        Assert.True(VariableValues.DeepEquals(
            new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(8)),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void DeepEquals_DurationsCompareByLength() =>
        Assert.True(VariableValues.DeepEquals(new IsoDuration(0, 0, 1, TimeSpan.Zero), new IsoDuration(0, 0, 0, TimeSpan.FromHours(24))));

    [Fact]
    public void DeepEquals_ObjectsIgnoreKeyOrder()
    {
        var a = new Dictionary<string, object?> { ["x"] = 1m, ["y"] = new List<object?> { "a" } };
        var b = new Dictionary<string, object?> { ["y"] = new object?[] { "a" }, ["x"] = 1.0m };

        Assert.True(VariableValues.DeepEquals(a, b));
    }

    [Fact]
    public void DeepEquals_ListsCompareInOrder() =>
        Assert.False(VariableValues.DeepEquals(new List<object?> { 1m, 2m }, new List<object?> { 2m, 1m }));

    [Fact]
    public void DeepEquals_DifferentTypes_AreNotEqual() => Assert.False(VariableValues.DeepEquals("1", 1m));

    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("100", "100")]
    [InlineData("0.0000001", "0.0000001")]
    [InlineData("-2.500", "-2.5")]
    public void FormatNumber_DropsTrailingZerosWithoutExponent(string input, string expected) =>
        Assert.Equal(expected, VariableValues.FormatNumber(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("P1Y2M3DT4H5M6.1234567S")]
    [InlineData("-P2W")]
    [InlineData("PT90S")]
    [InlineData("PT0.5S")]
    [InlineData("P0D")]
    public void TryParseDuration_AcceptsIsoText(string text) => Assert.True(VariableValues.TryParseDuration(text, out _));

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1W2D")]
    [InlineData("P1.5D")]
    [InlineData("1D")]
    [InlineData("P1M1Y")]
    public void TryParseDuration_RejectsMalformedText(string text) => Assert.False(VariableValues.TryParseDuration(text, out _));

    [Fact]
    public void TryParseDuration_KeepsTickPrecision()
    {
        VariableValues.TryParseDuration("PT0.0000001S", out var duration);

        Assert.Equal(1, duration.Time.Ticks);
    }
}
