using Trading.Workflow.Domain.Notices.Search;

namespace Trading.Workflow.Domain.Tests.Notices;

public sealed class SearchTermsTests
{
    [Fact]
    public void ForIndex_CutsChineseIntoCharactersAndPairs()
    {
        Assert.Equal(["城", "城市", "市", "市道", "道", "道路", "路"], SearchTerms.ForIndex("城市道路"));
    }

    [Fact]
    public void ForIndex_KeepsLatinWordsAndNumbersWholeAndFoldsFullWidth()
    {
        Assert.Equal(["gc", "2026", "标", "标段", "段", "a1"], SearchTerms.ForIndex("ＧＣ-2026 标段（A1）"));
    }

    [Fact]
    public void ForQuery_OfATwoCharacterWord_IsOneTermTheIndexOfALongerTitleHolds()
    {
        var index = SearchTerms.ForIndex("城市道路改造工程");

        Assert.Equal(["道路"], SearchTerms.ForQuery("道路"));
        Assert.All(SearchTerms.ForQuery("道路改造"), term => Assert.Contains(term, index));
        Assert.DoesNotContain(SearchTerms.ForQuery("道桥").Single(), index);
    }

    [Fact]
    public void ForQuery_OfOneCharacter_IsTheCharacter()
    {
        Assert.Equal(["路"], SearchTerms.ForQuery("路"));
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("《》、 —", null, null)]
    [InlineData("道路 GC", "\"道路\" AND \"gc\"", "'道路' & 'gc'")]
    [InlineData("\"道路' OR x", "\"道路\" AND \"or\" AND \"x\"", "'道路' & 'or' & 'x'")]
    public void Queries_QuoteEveryTermAndLetNoSyntaxThrough(string query, string? fts5, string? tsquery)
    {
        Assert.Equal(fts5, SearchTerms.Fts5Query(query));
        Assert.Equal(tsquery, SearchTerms.TsQuery(query));
    }
}
