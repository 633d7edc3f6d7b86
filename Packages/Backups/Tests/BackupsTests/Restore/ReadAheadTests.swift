@testable import Backups
import Foundation
import Synchronization
import XCTest

final class ReadAheadTests: XCTestCase {
    /// A consumer that stops early (a COPY the server aborted, a table reloaded as text) drops its
    /// `ReadAhead` with blocks still waiting: the producer thread ends and its state is freed without a trap
    /// (libdispatch traps when a semaphore is freed below the value it was created with).
    func testAReadAheadDroppedEarlyEndsItsProducer() throws {
        let produced = Atomic<Int>(0)
        for _ in 0..<20 {
            var ahead: ReadAhead? = ReadAhead(depth: 3) {
                produced.add(1, ordering: .relaxed)
                return [1, 2, 3]
            }
            XCTAssertEqual(try ahead?.next(), [1, 2, 3])
            Thread.sleep(forTimeInterval: 0.005)  // the producer fills the queue and waits
            ahead = nil
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertLessThanOrEqual(produced.load(ordering: .relaxed), 20 * 5, "a producer kept running after its consumer left")
    }

    func testBlocksComeInOrderAndAnErrorEndsTheSequence() throws {
        struct Failure: Error {}
        let count = Atomic<Int>(0)
        let ahead = ReadAhead(depth: 2) {
            let next = count.add(1, ordering: .relaxed).oldValue
            if next == 5 { throw Failure() }
            return [UInt8(next)]
        }
        for expected in 0..<5 { XCTAssertEqual(try ahead.next(), [UInt8(expected)]) }
        XCTAssertThrowsError(try ahead.next()) { XCTAssertTrue($0 is Failure) }
        XCTAssertNil(try ahead.next())
    }
}
