import GraphLanguage
import Testing
import TestSupport

// Issue 24 ("Smaller"): the hint for a keyword argument the function does not take names the
// convolution and pooling keywords too, and a misspelt keyword gets a "did you mean".
@Suite("Keyword hints name every function's keywords")
struct KeywordHintTests {
    @Test func aConvolutionKeywordGivenToAnOpNamesTheFunctionsThatTakeIt() throws {
        let text = try #require(loweringErrors("input x = 1\ny = sqrt(x, stride=2)"))
        expectContains(text, "sqrt takes no keyword arguments")
        expectContains(text, "hint: 'stride=' is for conv1d, conv2d, maxpool2d and avgpool2d")
        let padding = try #require(loweringErrors("input x = 1\ny = sqrt(x, paddin=2)"))
        expectContains(padding, "hint: did you mean 'padding='? It is for conv1d, conv2d, maxpool2d and avgpool2d")
    }

    @Test func anUnknownKeywordGivenToAnOpListsEveryKeyword() throws {
        let text = try #require(loweringErrors("input x = 1\ny = sqrt(x, colour=2)"))
        expectContains(text, "hint: the keywords are ")
        for keyword in ["axis=", "mode=", "running_mean=", "running_var=", "eps=", "stride=", "padding="] {
            expectContains(text, keyword, "\(keyword) missing")
        }
        // The whole hint is shown: none of it is cut out in the middle.
        expectNotContains(text, " … ")
    }

    @Test func aMisspeltConvolutionKeywordIsSuggested() throws {
        let source = "input x = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]\nparam w = [[[[1, 0], [0, 1]]]]\ny = sum(conv2d(x, w, strid=1))"
        let text = try #require(loweringErrors(source))
        expectContains(text, "conv2d has no keyword 'strid'")
        expectContains(text, "hint: did you mean 'stride='? write conv2d(x, w, [b], [stride], [padding])")
        let pool = try #require(loweringErrors("input x = [[[1, 2], [3, 4]]]\ny = sum(maxpool2d(x, 2, strde=2))"))
        expectContains(pool, "hint: did you mean 'stride='?")
    }

    @Test func aMisspeltReductionKeywordIsSuggested() throws {
        let text = try #require(loweringErrors("input x = [1, 2]\ny = sum(x, axs=0)"))
        expectContains(text, "sum has no keyword 'axs'")
        expectContains(text, "hint: did you mean 'axis='? write sum(x, axis=…, keepdim=…)")
    }

    @Test func aKeywordFarFromEveryNameGetsTheFormOnly() throws {
        let text = try #require(loweringErrors("input x = [1, 2]\ny = sum(x, colour=0)"))
        expectContains(text, "hint: write sum(x, axis=…, keepdim=…)")
        expectNotContains(text, "did you mean")
    }
}
