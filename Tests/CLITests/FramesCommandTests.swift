import Foundation
import Testing
import TestSupport

/// `export --frames` of the neuron view of a 40×40 weight matrix (issue 20: it grew to 8 GB
/// and aborted after 5 minutes with nothing written) is refused at once, naming the limit and
/// what to do instead; nothing is written.
@Test func framesOfAHugeNeuronViewAreRefusedAtOnce() async throws {
    let out = try temporaryFolder()
    let r = try await gradstep("export", "-e", "sum(W @ x)", "--set", "W=ones([40, 40])", "--set", "x=ones([40])",
                               "--granularity", "scalar", "--frames", "--format", "dot", "--out", out.path)
    expectEqual(r.status, 1, "\(r.stderr)")
    expectContains(r.stderr, "--frames would draw", "\(r.stderr)")
    expectContains(r.stderr, "frames may draw at most 1,000,000 in all")
    expectContains(r.stderr, "hint: export the final picture without --frames, draw the tensor view (--granularity tensor)")
    expectTrue(r.seconds < 120, "a hang guard: drawing it took 5 minutes and 8 GB")
    expectTrue(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty, "nothing written")
}
