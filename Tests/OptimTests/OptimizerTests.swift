import Autograd
import Testing
import TensorCore
@testable import Optim
import NN

/// PyTorch trajectories from `bench/optim_reference.py` (float32, foreach=False).
/// Each row: w (2×3, row-major) then b (2) after steps 1…5.
private enum Reference {
    static let sgdPlain: [[Float]] = [
        [0.598749995, -0.942720056, 1.31999993, 0.179990008, 0.100000001, -0.45656997, 0.370000005, -0.26000002],
        [0.676853478, -0.745797873, 0.833000243, 0.243933693, 0.179990008, -0.264304221, 0.432999998, -0.134000018],
        [0.738381922, -0.592490077, 0.460620105, 0.295001805, 0.243933693, -0.111258745, 0.48969999, -0.0206000097],
        [0.786679804, -0.471912146, 0.167518765, 0.335744709, 0.295001805, 0.0110067744, 0.54073, 0.0814599916],
        [0.824475348, -0.376478761, -0.0660319999, 0.368217289, 0.335744709, 0.108805411, 0.586656988, 0.17331399],
    ]
    static let sgdMomentumDampening: [[Float]] = [
        [0.598749995, -0.942720056, 1.31999993, 0.179990008, 0.100000001, -0.45656997, 0.370000005, -0.26000002],
        [0.750107765, -0.553630352, 0.318400234, 0.303135961, 0.253991991, -0.0836703628, 0.483399987, -0.0332000293],
        [0.922936082, -0.11351122, -0.794241667, 0.445242733, 0.431814969, 0.345331222, 0.626787961, 0.253575981],
        [1.08452249, 0.300769478, -1.82453251, 0.581193864, 0.602121115, 0.755850196, 0.785694122, 0.571388304],
        [1.20622182, 0.625281334, -2.57127929, 0.688988328, 0.737310886, 1.08092666, 0.945854127, 0.891708314],
    ]
    static let sgdNesterovWeightDecay: [[Float]] = [
        [0.593337476, -0.954444051, 1.35210001, 0.175895497, 0.0949999988, -0.468076468, 0.36621502, -0.26662001],
        [0.707846522, -0.65924865, 0.604223669, 0.269612014, 0.212351605, -0.183850363, 0.454305202, -0.0891758204],
        [0.826979399, -0.35520941, -0.152916312, 0.368222505, 0.335925132, 0.114319399, 0.556640267, 0.116962485],
        [0.93653512, -0.0742394254, -0.849464238, 0.46066016, 0.451886564, 0.394171447, 0.665980339, 0.337211341],
        [1.02584565, 0.160483077, -1.42217636, 0.53849268, 0.549642503, 0.630536377, 0.77578491, 0.558395863],
    ]
    static let adam: [[Float]] = [
        [0.599999964, -1.10000002, 1.89999998, 0.200000003, 0.0999999866, -0.600000024, 0.400000006, -0.300000012],
        [0.698693097, -1.0003736, 1.80015111, 0.298246264, 0.198811591, -0.500342131, 0.499305576, -0.200261474],
        [0.794533908, -0.901411295, 1.70055556, 0.392521739, 0.295114875, -0.401295513, 0.597256541, -0.10099002],
        [0.885197401, -0.803438246, 1.60131621, 0.479410291, 0.38700676, -0.303165138, 0.692998409, -0.00241756439],
        [0.967447817, -0.706816733, 1.50253594, 0.554324865, 0.471900314, -0.206295997, 0.785448432, 0.0951955467],
    ]
    static let adamAmsgradWeightDecay: [[Float]] = [
        [0.599999964, -1.10000002, 1.89999998, 0.199999988, 0.0999999866, -0.599999964, 0.400000006, -0.300000012],
        [0.698578596, -1.00037241, 1.80015135, 0.298147053, 0.198761493, -0.500346303, 0.499226034, -0.200273633],
        [0.794012308, -0.901406884, 1.70055664, 0.392056972, 0.294891953, -0.401312232, 0.596921623, -0.101037435],
        [0.883674979, -0.803428054, 1.60131896, 0.478032738, 0.386369705, -0.303208113, 0.69208914, -0.00253690034],
        [0.963920951, -0.706797838, 1.5025419, 0.551126599, 0.470443398, -0.206385612, 0.78344667, 0.0949511006],
    ]
    static let adamW: [[Float]] = [
        [0.5995, -1.09880006, 1.898, 0.199900001, 0.0999999866, -0.599300027, 0.399700016, -0.299600005],
        [0.697604775, -0.998081028, 1.79625678, 0.297949523, 0.198711589, -0.499046117, 0.498609066, -0.199563235],
        [0.792791724, -0.898137569, 1.69487453, 0.391944051, 0.294819415, -0.399509192, 0.59607321, -0.100095704],
        [0.882780731, -0.7992993, 1.59395778, 0.478496611, 0.386431813, -0.300995886, 0.691248894, -0.00142928213],
        [0.964408934, -0.701933086, 1.49361086, 0.553069651, 0.470983863, -0.203852445, 0.783070922, 0.0961762667],
    ]
    static let rmsprop: [[Float]] = [
        [0.599999964, -1.10000002, 1.89999998, 0.199999988, 0.0999999866, -0.600000024, 0.400000006, -0.300000012],
        [0.662097096, -1.03263927, 1.83079886, 0.260146499, 0.162656054, -0.532405376, 0.465267539, -0.231771469],
        [0.708132505, -0.979260564, 1.77497089, 0.303578407, 0.209540963, -0.478738368, 0.515736759, -0.177288353],
        [0.744642496, -0.934100628, 1.72703242, 0.337135553, 0.247106031, -0.433272481, 0.557479382, -0.130919188],
        [0.774617374, -0.894508123, 1.68444002, 0.363949835, 0.278294206, -0.393369079, 0.593275666, -0.0900594592],
    ]
    static let rmspropCenteredMomentum: [[Float]] = [
        [0.600503802, -1.09949625, 1.8994962, 0.200503781, 0.100503772, -0.599496186, 0.400503784, -0.299496233],
        [0.753516614, -0.941020489, 1.73915219, 0.351551145, 0.254141182, -0.440791041, 0.556756914, -0.140160695],
        [0.925338745, -0.748096585, 1.53988433, 0.515927553, 0.428783029, -0.247171834, 0.741383612, 0.0555112995],
        [1.08468819, -0.537437439, 1.31540525, 0.658859909, 0.595695376, -0.0352345258, 0.932252944, 0.271740198],
        [1.20489645, -0.322203666, 1.07557166, 0.754617393, 0.729768753, 0.181769788, 1.10980606, 0.496128827],
    ]
}

/// The reference problem: w starts at W0 with gradient 2·(w − T) + 0.1·w³,
/// b starts at B0 with gradient b − 1, f never gets a gradient.
private struct Problem {
    let w = Variable(Tensor(rows: [[0.5, -1.2, 2.0], [0.1, 0.0, -0.7]]), requiresGrad: true)
    let b = Variable(Tensor([0.3, -0.4]), requiresGrad: true)
    let f = Variable(Tensor.zeros([2]), requiresGrad: true)
    let target: [Float] = [1, 0, -1, 0.5, 0.5, 0.5]

    var parameters: [Parameter] {
        [Parameter(name: "w", variable: w), Parameter(name: "b", variable: b), Parameter(name: "f", variable: f)]
    }

    func setGradients() {
        let wv = w.value.scalars
        w.grad = Tensor(shape: [2, 3], scalars: (0..<6).map { 2 * (wv[$0] - target[$0]) + 0.1 * wv[$0] * wv[$0] * wv[$0] })
        b.grad = b.value.map { $0 - 1 }
    }

    var snapshot: [Float] { w.value.scalars + b.value.scalars }

    /// Runs `steps` steps and returns the snapshot after each.
    func run(_ optimizer: any Optimizer, steps: Int) -> [[Float]] {
        (0..<steps).map { _ in
            optimizer.zeroGrad()
            setGradients()
            optimizer.step()
            return snapshot
        }
    }
}

private func expectClose(_ actual: [[Float]], _ expected: [[Float]], tolerance: Float = 1e-5,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (step, (a, e)) in zip(actual, expected).enumerated() {
        let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
        #expect(a.count == e.count && worst <= tolerance, "step \(step + 1): \(a) vs \(e)", sourceLocation: sourceLocation)
    }
}

@Suite struct OptimizerTrajectoryTests {
    @Test func sgdPlain() throws {
        let problem = Problem()
        expectClose(problem.run(try SGD(parameters: problem.parameters, lr: 0.1), steps: 5), Reference.sgdPlain)
        #expect(problem.f.value == .zeros([2]))
    }

    @Test func sgdMomentumDampening() throws {
        let problem = Problem()
        let sgd = try SGD(parameters: problem.parameters, lr: 0.1, momentum: 0.9, dampening: 0.2)
        expectClose(problem.run(sgd, steps: 5), Reference.sgdMomentumDampening)
    }

    @Test func sgdNesterovWeightDecay() throws {
        let problem = Problem()
        let sgd = try SGD(parameters: problem.parameters, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01)
        expectClose(problem.run(sgd, steps: 5), Reference.sgdNesterovWeightDecay)
    }

    @Test func adam() throws {
        let problem = Problem()
        expectClose(problem.run(try Adam(parameters: problem.parameters, lr: 0.1), steps: 5), Reference.adam)
    }

    @Test func adamAmsgradWeightDecay() throws {
        let problem = Problem()
        let adam = try Adam(parameters: problem.parameters, lr: 0.1, weightDecay: 0.05, amsgrad: true)
        expectClose(problem.run(adam, steps: 5), Reference.adamAmsgradWeightDecay)
    }

    @Test func adamW() throws {
        let problem = Problem()
        let adamW = try AdamW(parameters: problem.parameters, lr: 0.1)
        #expect(adamW.options.weightDecay == 1e-2 && adamW.decoupledWeightDecay)
        expectClose(problem.run(adamW, steps: 5), Reference.adamW)
    }

    @Test func rmsprop() throws {
        let problem = Problem()
        expectClose(problem.run(try RMSprop(parameters: problem.parameters), steps: 5), Reference.rmsprop)
    }

    @Test func rmspropCenteredMomentum() throws {
        let problem = Problem()
        let rmsprop = try RMSprop(parameters: problem.parameters, lr: 0.01, weightDecay: 0.01, momentum: 0.9, centered: true)
        expectClose(problem.run(rmsprop, steps: 5), Reference.rmspropCenteredMomentum)
    }
}

@Suite struct OptimizerStateTests {
    /// Three steps, save, fresh optimizer + load, two more steps == five straight steps.
    private func roundTrip(_ make: ([Parameter]) throws -> any Optimizer, expectedKeys: [String]) throws {
        let straight = Problem()
        let reference = straight.run(try make(straight.parameters), steps: 5)

        let resumed = Problem()
        let first = try make(resumed.parameters)
        _ = resumed.run(first, steps: 3)
        let saved = first.stateTensors()
        #expect(saved.keys.sorted() == expectedKeys)
        let second = try make(resumed.parameters)
        try second.loadState(saved)
        #expect(second.stateTensors() == saved)
        expectClose(resumed.run(second, steps: 2), Array(reference.suffix(2)), tolerance: 0)
    }

    @Test func sgdRoundTrip() throws {
        try roundTrip({ try SGD(parameters: $0, lr: 0.1, momentum: 0.9) },
                      expectedKeys: ["optimizer.state.0.momentum_buffer", "optimizer.state.1.momentum_buffer"])
    }

    @Test func adamRoundTrip() throws {
        try roundTrip({ try Adam(parameters: $0, lr: 0.1, amsgrad: true) }, expectedKeys: [
            "optimizer.state.0.exp_avg", "optimizer.state.0.exp_avg_sq", "optimizer.state.0.max_exp_avg_sq",
            "optimizer.state.0.step", "optimizer.state.1.exp_avg", "optimizer.state.1.exp_avg_sq",
            "optimizer.state.1.max_exp_avg_sq", "optimizer.state.1.step",
        ])
    }

    @Test func rmspropRoundTrip() throws {
        try roundTrip({ try RMSprop(parameters: $0, momentum: 0.9, centered: true) }, expectedKeys: [
            "optimizer.state.0.grad_avg", "optimizer.state.0.momentum_buffer", "optimizer.state.0.square_avg",
            "optimizer.state.0.step", "optimizer.state.1.grad_avg", "optimizer.state.1.momentum_buffer",
            "optimizer.state.1.square_avg", "optimizer.state.1.step",
        ])
    }

    @Test func stepCountIsSaved() throws {
        let problem = Problem()
        let adam = try Adam(parameters: problem.parameters)
        _ = problem.run(adam, steps: 3)
        #expect(adam.stateTensors()["optimizer.state.0.step"] == Tensor(3))
    }

    @Test func loadStateListsEveryMismatch() throws {
        let problem = Problem()
        let adam = try Adam(parameters: problem.parameters)
        let bad: [String: Tensor] = [
            "optimizer.state.0.exp_avg": .zeros([3, 2]),
            "optimizer.state.0.step": Tensor(1),
            "optimizer.state.7.exp_avg": .zeros([2]),
            "optimizer.state.1.momentum_buffer": .zeros([2]),
            "model.0.weight": .zeros([5]),  // not optimizer state: ignored
        ]
        #expect(throws: OptimizerError.stateMismatch([
            StateMismatch(key: "optimizer.state.0.exp_avg", problem: .shape(expected: [2, 3], found: [3, 2])),
            StateMismatch(key: "optimizer.state.0.exp_avg_sq", problem: .missing),
            StateMismatch(key: "optimizer.state.1.momentum_buffer", problem: .unexpected),
            StateMismatch(key: "optimizer.state.7.exp_avg", problem: .unexpected),
        ])) { try adam.loadState(bad) }
        #expect(adam.stateTensors().isEmpty)
    }

    @Test func invalidOptionsThrow() {
        let parameters = Problem().parameters
        #expect(throws: OptimizerError.invalidOption("Nesterov momentum requires a momentum and zero dampening")) {
            try SGD(parameters: parameters, lr: 0.1, nesterov: true)
        }
        #expect(throws: OptimizerError.self) { try SGD(parameters: parameters, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) }
        #expect(throws: OptimizerError.self) { try Adam(parameters: parameters, betas: (1.0, 0.999)) }
        #expect(throws: OptimizerError.self) { try RMSprop(parameters: parameters, lr: -1) }
    }

    @Test func defaultsMatchPyTorch() throws {
        let parameters = Problem().parameters
        let adam = try Adam(parameters: parameters)
        #expect(adam.learningRate == 1e-3 && adam.options.betas == (0.9, 0.999) && adam.options.eps == 1e-8 && adam.options.weightDecay == 0)
        let rmsprop = try RMSprop(parameters: parameters)
        #expect(rmsprop.learningRate == 1e-2 && rmsprop.options.alpha == 0.99 && rmsprop.options.eps == 1e-8)
        #expect(adam.hyperparameters["optimizer"] == "Adam")
        #expect(try AdamW(parameters: parameters).hyperparameters["weight_decay"] == "0.01")
    }
}

@Suite struct ClipGradNormTests {
    /// g1 = [[3, -4], [1, 2]], g2 = [-2, 0.5]; references from `clip_grad_norm_`.
    private func gradients() -> [Parameter] {
        let a = Variable(.zeros([2, 2]), requiresGrad: true)
        let c = Variable(.zeros([2]), requiresGrad: true)
        let none = Variable(.zeros([3]), requiresGrad: true)
        a.grad = Tensor(rows: [[3, -4], [1, 2]])
        c.grad = Tensor([-2, 0.5])
        return [Parameter(name: "a", variable: a), Parameter(name: "c", variable: c), Parameter(name: "n", variable: none)]
    }

    private func flat(_ parameters: [Parameter]) -> [Float] {
        parameters.flatMap { $0.variable.grad?.scalars ?? [] }
    }

    @Test(arguments: [
        (Float(1), Float(2), Float(5.85234976), [Float](arrayLiteral: 0.512614548, -0.683486044, 0.170871511, 0.341743022, -0.341743022, 0.0854357556)),
        (100, 2, 5.85234976, [3, -4, 1, 2, -2, 0.5]),
        (2, .infinity, 4, [1.49999964, -1.99999952, 0.499999881, 0.999999762, -0.999999762, 0.24999994]),
        (5, 1, 12.5, [1.19999981, -1.59999979, 0.399999946, 0.799999893, -0.799999893, 0.199999973]),
    ])
    func matchesPyTorch(maxNorm: Float, normType: Float, total: Float, clipped: [Float]) {
        let parameters = gradients()
        let norm = clipGradNorm(parameters, maxNorm: maxNorm, normType: normType)
        #expect(abs(norm - total) <= 1e-5)
        expectClose([flat(parameters)], [clipped], tolerance: 1e-6)
    }
}

@Suite struct OptimizerIntegrationTests {
    /// A tiny regression with a real model and autograd: the loss falls under
    /// each optimizer, with gradient clipping and a scheduler in the loop.
    @Test(arguments: ["sgd", "adamw", "rmsprop"])
    func lossDecreasesOnLinearRegression(name: String) throws {
        var rng = SeededGenerator(seed: 7)
        let model = Sequential([Linear(3, 1, rng: &rng)])
        let x = Tensor(rows: [[1, 0, 2], [0, 1, -1], [2, 1, 0], [-1, 2, 1]])
        let y = Tensor(rows: [[3], [-1], [2], [1]])
        let optimizer: any Optimizer = switch name {
        case "sgd": try SGD(parameters: model.parameters, lr: 0.05, momentum: 0.9, nesterov: true)
        case "adamw": try AdamW(parameters: model.parameters, lr: 0.05)
        default: try RMSprop(parameters: model.parameters, lr: 0.01)
        }
        var scheduler = CosineAnnealingLR(baseLR: optimizer.learningRate, tMax: 40)
        func loss() -> Variable {
            let error = model(Variable(x)) - Variable(y)
            return (error * error).mean()
        }
        let initial = loss().value.item
        for _ in 0..<40 {
            optimizer.zeroGrad()
            loss().backward()
            clipGradNorm(model.parameters, maxNorm: 5)
            optimizer.step()
            scheduler.step(optimizer)
        }
        #expect(loss().value.item < initial / 4, "\(name): \(initial) → \(loss().value.item)")
    }
}
