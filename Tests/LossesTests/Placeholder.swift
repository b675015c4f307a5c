import Testing
@testable import Losses
