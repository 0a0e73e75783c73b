import GraphCore

/// A small seeded generator (SplitMix64) so property tests are reproducible: a failure names
/// its seed, and the same seed gives the same case. The engine's own generator, under the
/// name the tests have always used.
public typealias SplitMix64 = SeededGenerator
