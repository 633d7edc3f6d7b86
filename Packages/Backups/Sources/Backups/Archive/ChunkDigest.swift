import Crypto
import Foundation

/// A 32-byte digest held inline: a chunk's id (SHA-256, or HMAC-SHA256 under the backup key, of its
/// plaintext) or the SHA-256 of its stored bytes.
///
/// Manifests spell digests as 64 hexadecimal digits; in memory they are 32 bytes rather than a 64-character
/// string on the heap, since a backup holds two for every chunk of its chain.
struct ChunkDigest: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// 64 hexadecimal digits (either case); nil for anything else.
    init?(hex: some StringProtocol) {
        let digits = hex.utf8
        guard digits.count == 64 else { return nil }
        words = (0, 0, 0, 0)
        for (index, digit) in digits.enumerated() {
            guard let value = Hex.value(of: digit) else { return nil }
            let nibble = UInt64(value)
            switch index / 16 {
            case 0: words.0 = words.0 << 4 | nibble
            case 1: words.1 = words.1 << 4 | nibble
            case 2: words.2 = words.2 << 4 | nibble
            default: words.3 = words.3 << 4 | nibble
            }
        }
    }

    /// A 32-byte digest from swift-crypto (SHA-256, HMAC-SHA256), read without copying it to the heap.
    init(_ digest: some ContiguousBytes) {
        words = digest.withUnsafeBytes { raw in
            precondition(raw.count == 32, "a chunk digest is 32 bytes")
            return (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        }
    }

    /// The 32 bytes, as hashes print them (each word big-endian).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let bytes = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try Swift.withUnsafeBytes(of: bytes, body)
    }

    /// The SHA-256 of `bytes`.
    static func sha256(_ bytes: some DataProtocol) -> ChunkDigest { ChunkDigest(SHA256.hash(data: bytes)) }

    /// Lower-case hexadecimal, as manifests spell it.
    var hex: String {
        String(unsafeUninitializedCapacity: 64) { out in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for word in [words.0, words.1, words.2, words.3] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    out[position] = digits.utf8Start[Int(word >> UInt64(shift) & 0xf)]
                    position += 1
                }
            }
            return 64
        }
    }

    static func == (lhs: ChunkDigest, rhs: ChunkDigest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        // The words are already uniformly distributed; two of them identify a chunk among any realistic number.
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}

/// A chunk's head: the first 8 bytes of the SHA-256 (or, encrypted, the HMAC under the naming key) of its
/// first `length` bytes, recorded with the chunk (`head` in the manifest).
///
/// Content-defined boundaries fall at the same content in two dumps of the same rows, so a chunk of a later
/// backup usually starts where one of its base's chunks did. Where every chunk changed (rows updated all
/// over a table) and rows before it were deleted or inserted, finding that base chunk by its head is what
/// tells the writer how far the stream has drifted, however far that is.
enum ChunkHead {
    static let length = 64

    /// The head of `plaintext` (nil when it is shorter than `length`: too little to line anything up).
    static func of(_ plaintext: [UInt8], key: BackupKey?) -> UInt64? {
        guard plaintext.count >= length else { return nil }
        let first = Array(plaintext.prefix(length))
        return (key?.chunkDigest(for: first) ?? ChunkDigest.sha256(first)).firstWord
    }

    /// A head from its manifest spelling. - Throws: `.corrupt` unless it is 16 hexadecimal digits.
    static func parse(_ text: String) throws(BackupError) -> UInt64 {
        guard text.utf8.count == 16, let value = UInt64(text, radix: 16) else {
            throw BackupError(.corrupt, "the manifest's chunk head \(text.prefix(20)) is not 16 hexadecimal digits")
        }
        return value
    }
}

extension ChunkDigest {
    /// The digest's first 8 bytes, big-endian.
    var firstWord: UInt64 { words.0 }
}

/// Hexadecimal digits as the archive's files spell them.
enum Hex {
    /// The value of one hexadecimal digit (either case); nil for any other byte.
    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `value` as 16 lower-case digits, zeros first (a chunk head, a row checksum's halves).
    static func padded(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
