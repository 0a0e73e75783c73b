// The layout types (GraphLayout, LayoutRequest, LayeredLayout) live in the GraphLayout module,
// which export shares; the explorer and its users keep seeing them through `import Explorer`.
@_exported import GraphLayout
