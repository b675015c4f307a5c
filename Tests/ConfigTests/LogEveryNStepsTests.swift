import Foundation
import Testing
@testable import Config

@Suite("trainer.log_every_n_steps")
struct LogEveryNStepsTests {
    func parse(_ yaml: String, set overrides: [(path: [String], value: String)] = []) throws -> RunConfig {
        var doc = try ConfigValue.parse(yaml: yaml, file: "test.yaml")
        for (path, value) in overrides { try doc.set(try ConfigValue.parse(yaml: value, file: "--set"), at: path) }
        return try RunConfig(doc, file: "test.yaml")
    }

    @Test func defaultsToTwentyAndReadsLightningsName() throws {
        #expect(try parse("name: demo").trainer.logEverySteps == TrainerConfig.defaultLogEveryNSteps)
        #expect(TrainerConfig.defaultLogEveryNSteps == 20)
        #expect(try parse("name: demo\ntrainer:\n  log_every_n_steps: 7").trainer.logEverySteps == 7)
    }

    @Test func theOlderSpellingIsReadAndLosesToTheNewName() throws {
        let older = "name: demo\ntrainer:\n  log_every_steps: 5"
        #expect(try parse(older).trainer.logEverySteps == 5)
        #expect(try parse(older, set: [(["trainer", "log_every_n_steps"], "1")]).trainer.logEverySteps == 1)
    }

    @Test func outOfRangeNamesTheKey() {
        #expect(throws: ConfigError.self) { try parse("name: demo\ntrainer:\n  log_every_n_steps: 0") }
        do { _ = try parse("name: demo\ntrainer:\n  log_every_n_steps: 0") } catch {
            #expect("\(error)".contains("trainer.log_every_n_steps"))
        }
    }
}
