import CMariaDB

/// Answers a server's `LOAD DATA LOCAL INFILE` request from an in-memory producer instead of a file.
///
/// libmariadb calls the handler functions below, on the connection's queue, while `mysql_real_query` runs
/// a `LOAD DATA LOCAL` statement. The file name the server asks for is ignored: the bytes come only from the
/// producer `MySQLConnection.loadDataLocal` set for that call. With no producer set (any other statement),
/// the request is refused, so a server can never make the client read a file.
///
/// - Important: not thread-safe; owned by one `MySQLHandle` and used on its connection's queue only.
final class LocalInfileStream {
    private var producer: (@Sendable () throws -> [UInt8]?)?
    private var block: [UInt8] = []
    private var offset = 0
    /// The error the producer threw, reported instead of the client library's generic one.
    private(set) var failure: (any Error)?
    /// Bytes handed to the server during the current load.
    private(set) var bytesSent: Int64 = 0

    /// Installs the handler functions on a handle; `userdata` is this object, which the handle owns, so
    /// it outlives every callback.
    func install(on raw: UnsafeMutablePointer<MYSQL>) {
        mysql_set_local_infile_handler(raw, localInfileInit, localInfileRead, localInfileEnd, localInfileError,
                                       Unmanaged.passUnretained(self).toOpaque())
    }

    /// Serves `producer`'s bytes to the next request, until `finish()`.
    func begin(_ producer: @escaping @Sendable () throws -> [UInt8]?) {
        self.producer = producer
        block = []
        offset = 0
        failure = nil
        bytesSent = 0
    }

    /// Stops serving; later requests are refused.
    func finish() {
        producer = nil
        block = []
        offset = 0
    }

    fileprivate var isServing: Bool { producer != nil }

    /// Copies up to `capacity` bytes into `buffer`: 0 at the end, -1 when the producer failed.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32 {
        guard let producer else { return -1 }
        while offset >= block.count {
            if Task.isCancelled {
                failure = DatabaseError.mysqlCancelled(sql: nil)
                return -1
            }
            do {
                guard let next = try producer() else { return 0 }
                block = next
                offset = 0
            } catch {
                failure = error
                return -1
            }
        }
        let count = min(capacity, block.count - offset)
        block.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        bytesSent += Int64(count)
        return Int32(count)
    }

    fileprivate var errorMessage: String {
        guard isServing else { return "LOAD DATA LOCAL is refused: this connection streams data only from loadDataLocal" }
        if let failure { return "the data stream for LOAD DATA LOCAL failed: \(failure)" }
        return "the data stream for LOAD DATA LOCAL failed"
    }
}

private func stream(_ pointer: UnsafeMutableRawPointer?) -> LocalInfileStream? {
    pointer.map { Unmanaged<LocalInfileStream>.fromOpaque($0).takeUnretainedValue() }
}

private func localInfileInit(_ state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ filename: UnsafePointer<CChar>?,
                             _ userdata: UnsafeMutableRawPointer?) -> Int32 {
    state?.pointee = userdata
    guard let stream = stream(userdata), stream.isServing else { return 1 }
    return 0
}

private func localInfileRead(_ state: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt32) -> Int32 {
    guard let stream = stream(state), let buffer else { return -1 }
    return stream.read(into: buffer, capacity: Int(min(capacity, UInt32(Int32.max))))
}

private func localInfileEnd(_ state: UnsafeMutableRawPointer?) {}

private func localInfileError(_ state: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt32) -> Int32 {
    let message = stream(state)?.errorMessage ?? "LOAD DATA LOCAL is refused"
    if let buffer, capacity > 0 {
        let bytes = Array(message.utf8.prefix(Int(capacity) - 1))
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress!, byteCount: bytes.count)
        }
        buffer[bytes.count] = 0
    }
    return Int32(CR_UNKNOWN_ERROR)
}
