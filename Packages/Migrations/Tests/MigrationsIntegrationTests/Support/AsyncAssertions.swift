import XCTest

// XCTest's assertions take synchronous autoclosures; these take asynchronous ones so a test can write
// `try await assertEqual(await manager.getCurrentRevision(), "0003")`.

func assertEqual<T: Equatable>(_ value: @autoclosure () async throws -> T, _ expected: T, _ message: String = "",
                               file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertEqual(actual, expected, message, file: file, line: line)
}

func assertTrue(_ value: @autoclosure () async throws -> Bool, _ message: String = "",
                file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertTrue(actual, message, file: file, line: line)
}

func assertFalse(_ value: @autoclosure () async throws -> Bool, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertFalse(actual, message, file: file, line: line)
}

func assertNil<T>(_ value: @autoclosure () async throws -> T?, _ message: String = "",
                  file: StaticString = #filePath, line: UInt = #line) async throws {
    let actual = try await value()
    XCTAssertNil(actual, message, file: file, line: line)
}

/// Runs `body`, which must throw a `MigrationError`-like error; returns it for further checks.
func assertThrows<E: Error>(_ type: E.Type, _ body: () async throws -> Void, file: StaticString = #filePath,
                            line: UInt = #line) async -> E? {
    do {
        try await body()
        XCTFail("expected \(E.self) to be thrown", file: file, line: line)
        return nil
    } catch let error as E {
        return error
    } catch {
        XCTFail("expected \(E.self), got \(error)", file: file, line: line)
        return nil
    }
}
