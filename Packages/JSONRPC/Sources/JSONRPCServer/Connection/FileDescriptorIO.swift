#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over read/write/poll that retry on EINTR and wait on EAGAIN.
enum FileDescriptorIO {
    enum ReadResult {
        case bytes(Int)
        case endOfInput
        case failed(errno: Int32)
        /// The wake-up descriptor became readable: stop reading.
        case interrupted
    }

    /// Waits until `fd` or `wakeFD` is readable, then reads up to `buffer.count` bytes from `fd`. For up to
    /// `spin` it polls without sleeping first (see `ServerConfiguration.inputSpin`).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, wakeFD: Int32,
                     spin: Duration = .zero) -> ReadResult {
        let clock = ContinuousClock()
        let spinUntil = clock.now.advanced(by: spin)
        while true {
            var descriptors = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            var ready = poll(&descriptors, 2, 0)
            while ready == 0, clock.now < spinUntil {
                ready = poll(&descriptors, 2, 0)
            }
            if ready == 0 { ready = poll(&descriptors, 2, -1) }
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed(errno: errno)
            }
            if descriptors[1].revents != 0 { return .interrupted }
            if descriptors[0].revents == 0 { continue }
            let count = Glibc_read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfInput }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            return .failed(errno: errno)
        }
    }

    /// Writes all of `bytes`; returns the errno of a failure (EPIPE when the reader went away), or `nil`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc_write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, -1)
            default:
                return errno
            }
        }
        return nil
    }

    /// A human description of `code` ("Broken pipe").
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}

// `read`/`write` are shadowed by the methods above inside the enum; these reach the C functions.
@inline(__always)
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
