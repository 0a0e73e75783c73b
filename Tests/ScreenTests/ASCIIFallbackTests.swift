import Screen
import Testing
import TestSupport

@Test func labelsKeepOneCellPerCharacterInASCII() {
    func ascii(_ s: String) -> String { String(s.map(\.asciiFallback)) }
    expectEqual(ascii("v₋₁ = ln v₋₁"), "v-1 = ln v-1")
    expectEqual(ascii("v̄₀ = v̄₃·∂v₃/∂v₀ + v̄₂·v₋₁"), "V0 = V3*dv3/dv0 + V2*v-1")
    expectEqual(ascii("v̇₄ − v̇₃"), "V4 - V3")
    expectEqual(ascii("σ(v₁)ᵀ ⊙ x²"), "s(v1)T o x2")
    expectEqual(ascii("θ → η …"), "t > n ~")
    expectEqual(ascii("漢"), "?")
    for s in ["v̄₋₁", "x̄1 = −0.283662", "∇ x̄1 = 5"] {
        expectTrue(ascii(s).count == s.count && ascii(s).allSatisfy(\.isASCII))
    }
}
