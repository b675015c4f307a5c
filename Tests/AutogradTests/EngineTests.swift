import Testing
import TensorCore
@testable import Autograd

@Suite("Backward engine")
struct EngineTests {
    @Test func microgradExample() {
        let w = Variable(Tensor([1, 2]), requiresGrad: true)
        (w * w).sum().backward()
        #expect(w.grad?.scalars == [2, 4])
    }

    @Test func sharedNodeSumsBothPaths() {
        // y = x·x + x through a diamond: dy/dx = 2x + 1.
        let x = Variable(Tensor([3]), requiresGrad: true)
        let square = x * x
        (square + x).backward()
        #expect(x.grad?.scalars == [7])
    }

    @Test func gradientsAccumulateUntilZeroed() {
        let x = Variable(Tensor([1, 1]), requiresGrad: true)
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad?.scalars == [6, 6])
        x.zeroGrad()
        #expect(x.grad == nil)
        (x * 2).sum().backward()
        #expect(x.grad?.scalars == [2, 2])
    }

    @Test func broadcastInputGetsReducedGradient() {
        let bias = Variable(Tensor([0, 0, 0]), requiresGrad: true)
        let x = Variable(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        (x + bias).sum().backward()
        #expect(bias.grad?.shape == [3])
        #expect(bias.grad?.scalars == [2, 2, 2])
    }

    @Test func noGradRecordsNothing() {
        let x = Variable(Tensor([1]), requiresGrad: true)
        let y = noGrad { x * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        #expect(GradMode.isEnabled)
        let z = x * 2
        #expect(z.requiresGrad)
    }

    @Test func detachCutsTheGraph() {
        let x = Variable(Tensor([2]), requiresGrad: true)
        let y = (x * x).detached() * x
        y.backward()
        #expect(x.grad?.scalars == [4])   // only the non-detached path: d(c·x)/dx = c = 4
    }

    @Test func constantsGetNoGradient() {
        let c = Variable(Tensor([5]))
        let x = Variable(Tensor([1]), requiresGrad: true)
        (c * x).backward()
        #expect(c.grad == nil)
        #expect(x.grad?.scalars == [5])
    }

    @Test func graphIsFreedAfterBackward() {
        weak var intermediate: Variable?
        let x = Variable(Tensor([1, 2]), requiresGrad: true)
        var loss: Variable? = {
            let hidden = x * 3
            intermediate = hidden
            return hidden.sum()
        }()
        #expect(intermediate != nil)
        loss!.backward()
        #expect(intermediate == nil)   // the output no longer holds its inputs
        loss = nil
        #expect(x.grad?.scalars == [3, 3])
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let x = Variable(Tensor([1]), requiresGrad: true)
        var y = x
        for _ in 0..<20000 { y = y + 0 }
        y.backward()
        #expect(x.grad?.scalars == [1])
    }

    @Test func explicitSeedScalesTheGradient() {
        let x = Variable(Tensor([1, 2]), requiresGrad: true)
        (x * 2).backward(seed: Tensor([10, 100]))
        #expect(x.grad?.scalars == [20, 200])
    }
}
