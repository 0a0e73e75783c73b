import GraphLanguage
import Testing

// Issue 24 ("Smaller"): the hint for a keyword argument the function does not take names the
// convolution and pooling keywords too, and a misspelt keyword gets a "did you mean".
@Suite("Keyword hints name every function's keywords")
struct KeywordHintTests {
    @Test func aConvolutionKeywordGivenToAnOpNamesTheFunctionsThatTakeIt() throws {
        let text = try #require(loweringErrors("input x = 1\ny = sqrt(x, stride=2)"))
        #expect(text.contains("sqrt takes no keyword arguments"))
        #expect(text.contains("hint: 'stride=' is for conv1d, conv2d, maxpool2d and avgpool2d"))
        let padding = try #require(loweringErrors("input x = 1\ny = sqrt(x, paddin=2)"))
        #expect(padding.contains("hint: did you mean 'padding='? It is for conv1d, conv2d, maxpool2d and avgpool2d"))
    }

    @Test func anUnknownKeywordGivenToAnOpListsEveryKeyword() throws {
        let text = try #require(loweringErrors("input x = 1\ny = sqrt(x, colour=2)"))
        #expect(text.contains("hint: the keywords are "))
        for keyword in ["axis=", "mode=", "running_mean=", "running_var=", "eps=", "stride=", "padding="] {
            #expect(text.contains(keyword), "\(keyword) missing")
        }
        // The whole hint is shown: none of it is cut out in the middle.
        #expect(!text.contains(" … "))
    }

    @Test func aMisspeltConvolutionKeywordIsSuggested() throws {
        let source = "input x = [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]\nparam w = [[[[1, 0], [0, 1]]]]\ny = sum(conv2d(x, w, strid=1))"
        let text = try #require(loweringErrors(source))
        #expect(text.contains("conv2d has no keyword 'strid'"))
        #expect(text.contains("hint: did you mean 'stride='? write conv2d(x, w, [b], [stride], [padding])"))
        let pool = try #require(loweringErrors("input x = [[[1, 2], [3, 4]]]\ny = sum(maxpool2d(x, 2, strde=2))"))
        #expect(pool.contains("hint: did you mean 'stride='?"))
    }

    @Test func aMisspeltReductionKeywordIsSuggested() throws {
        let text = try #require(loweringErrors("input x = [1, 2]\ny = sum(x, axs=0)"))
        #expect(text.contains("sum has no keyword 'axs'"))
        #expect(text.contains("hint: did you mean 'axis='? write sum(x, axis=…, keepdim=…)"))
    }

    @Test func aKeywordFarFromEveryNameGetsTheFormOnly() throws {
        let text = try #require(loweringErrors("input x = [1, 2]\ny = sum(x, colour=0)"))
        #expect(text.contains("hint: write sum(x, axis=…, keepdim=…)"))
        #expect(!text.contains("did you mean"))
    }
}
