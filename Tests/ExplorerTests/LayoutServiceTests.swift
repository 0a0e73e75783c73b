import Explorer
import Foundation
import TestSupport
import Testing

@Suite("Layout service")
struct LayoutServiceTests {
    /// Polls like the UI loop (every 10 ms here) until an update arrives or `seconds` pass.
    static func nextUpdate(_ service: LayoutService, within seconds: Double) async -> LayoutService.Update? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let update = service.poll() { return update }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return nil
    }

    @Test("Layered at once, Graphviz's layout later through poll, then cached")
    func improves() async throws {
        guard LayoutGraphvizTests.dotProgram() != nil else { return }
        // Generous limits: on a loaded two-core machine the whole test suite competes for time.
        let service = LayoutService(configuration: .init(timeout: 120))
        let request = LayoutFixtures.baydin()
        let first = service.layout(for: request)
        expectEqual(first, LayeredLayout.layout(request))
        let update = try #require(await Self.nextUpdate(service, within: 120))
        guard case let .improved(r, better) = update else {
            Issue.record("expected a Graphviz layout, got \(update)")
            return
        }
        expectEqual(r, request)
        expectEqual(better.engine, .graphviz)
        expectEqual(service.layout(for: request), better)
        expectEqual(service.graphvizState(for: request), .done)
        expectTrue(service.poll() == nil)
    }

    @Test("Large graphs keep the layered layout and start nothing")
    func large() async {
        let service = LayoutService(configuration: .init(graphvizNodeLimit: 50))
        let request = LayoutFixtures.randomDAG(nodes: 200, seed: 1)
        expectEqual(service.layout(for: request).engine, .layered)
        expectEqual(service.graphvizState(for: request), .notTried)
        await expectTrue(Self.nextUpdate(service, within: 0.2) == nil)
    }

    @Test("A missing dot is reported once, not retried, and never blocks")
    func missing() async throws {
        let service = LayoutService(configuration: .init(dotPath: "/nonexistent/dot"))
        let request = LayoutFixtures.baydin()
        expectEqual(service.layout(for: request).engine, .layered)
        let update = try #require(await Self.nextUpdate(service, within: 60))
        expectEqual(update, .failed(request, LayoutFailure.graphvizMissing.description))
        for _ in 0..<100 { expectEqual(service.layout(for: request).engine, .layered) }
        await expectTrue(Self.nextUpdate(service, within: 0.2) == nil)
        expectEqual(service.graphvizState(for: request), .failed(LayoutFailure.graphvizMissing.description))
    }

    @Test("A timeout is reported once and the layered layout stays")
    func timeout() async throws {
        guard LayoutGraphvizTests.dotProgram() != nil else { return }
        let service = LayoutService(configuration: .init(timeout: 0.001))
        let request = LayoutFixtures.wideDAG(nodes: 300, seed: 2)
        let started = Date()
        let layout = service.layout(for: request)
        expectTrue(Date().timeIntervalSince(started) < 20, "the layered layout comes at once, dot in the background")
        let update = try #require(await Self.nextUpdate(service, within: 60))
        expectEqual(update, .failed(request, LayoutFailure.timedOut(seconds: 0.001).description))
        expectEqual(service.layout(for: request), layout)
        await expectTrue(Self.nextUpdate(service, within: 0.2) == nil)
    }

    @Test("Least recently used requests are forgotten beyond the capacity")
    func capacity() {
        let service = LayoutService(configuration: .init(graphvizNodeLimit: 0, capacity: 2))
        let a = LayoutFixtures.randomDAG(nodes: 20, seed: 1), b = LayoutFixtures.randomDAG(nodes: 20, seed: 2)
        let c = LayoutFixtures.randomDAG(nodes: 20, seed: 3)
        _ = service.layout(for: a)
        _ = service.layout(for: b)
        _ = service.layout(for: a)
        _ = service.layout(for: c)  // forgets b
        expectEqual(service.graphvizState(for: a), .notTried)
        expectEqual(service.layout(for: b).engine, .layered)
    }
}
