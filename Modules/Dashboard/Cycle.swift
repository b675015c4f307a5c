/// Stepping through a fixed list of states with a key, forwards or back, wrapping: the panels
/// (Tab), the smoothing weights, the comparison metrics and the zoom windows.
enum Cycle {
    /// The state after `value` in `states` (before it unless `forward`), wrapping; the first
    /// state when `value` is not in the list.
    static func step<State: Equatable>(_ value: State, in states: [State], forward: Bool) -> State {
        guard let index = states.firstIndex(of: value) else { return states[0] }
        return states[(index + (forward ? 1 : states.count - 1)) % states.count]
    }
}

extension CaseIterable where Self: Equatable {
    /// The case after this one in declaration order (before it unless `forward`), wrapping.
    func cycled(forward: Bool) -> Self { Cycle.step(self, in: Array(Self.allCases), forward: forward) }
}
