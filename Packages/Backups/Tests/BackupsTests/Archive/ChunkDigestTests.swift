@testable import Backups
import Crypto
import DatabaseDriver
import XCTest

/// Chunk ids and stored hashes are held as 32 bytes and spelled as hexadecimal in manifests.
final class ChunkDigestTests: XCTestCase {
    func testHexRoundTripsAndMatchesSwiftCrypto() throws {
        let bytes = Array("some chunk plaintext".utf8)
        let expected = Array(SHA256.hash(data: bytes)).hexString
        let digest = ChunkDigest.sha256(bytes)
        XCTAssertEqual(digest.hex, expected)
        XCTAssertEqual(ChunkDigest(hex: expected), digest)
        XCTAssertEqual(ChunkDigest(hex: expected.uppercased())?.hex, expected, "upper case reads, and is written lower case")
        let key = SymmetricKey(size: .bits256)
        XCTAssertEqual(ChunkDigest(HMAC<SHA256>.authenticationCode(for: bytes, using: key)).hex,
                       Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key)).hexString)
        // Every position counts: digests that differ in one digit anywhere differ.
        for position in [0, 15, 16, 31, 32, 47, 48, 63] {
            var digits = Array(expected.utf8)
            digits[position] = digits[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            let other = try XCTUnwrap(ChunkDigest(hex: String(decoding: digits, as: UTF8.self)))
            XCTAssertNotEqual(other, digest, "digit \(position)")
            XCTAssertEqual(other.hex, String(decoding: digits, as: UTF8.self))
        }
    }

    func testAnythingButSixtyFourHexDigitsIsRefused() {
        let valid = String(repeating: "0123456789abcdef", count: 4)
        XCTAssertNotNil(ChunkDigest(hex: valid))
        for text in ["", String(valid.dropLast()), valid + "0", String(valid.dropLast()) + "g", String(valid.dropLast()) + " ",
                     String(valid.dropLast(2)) + "é"] {
            XCTAssertNil(ChunkDigest(hex: text), text)
        }
    }

    /// What keeps a backup's memory per chunk small: a digest is 32 inline bytes, and a reference, held in
    /// several collections at once, is one pointer.
    func testDigestsAndReferencesStayCompact() {
        XCTAssertEqual(MemoryLayout<ChunkDigest>.size, 32)
        XCTAssertEqual(MemoryLayout<ChunkReference>.size, MemoryLayout<Int>.size)
    }

    func testAReferenceKeepsValueSemanticsWhileSharingItsFields() {
        let id = String(repeating: "ab", count: 32)
        let original = ChunkReference(id: id, size: 10, storedSize: 5, storedSHA256: String(repeating: "cd", count: 32),
                                      codec: .gzip, location: "b1", pack: 0, offset: 0)
        var copy = original
        XCTAssertEqual(copy, original)
        copy.offset = 4096
        copy.storedSHA256 = ""
        XCTAssertEqual(original.offset, 0, "changing a copy changed the original")
        XCTAssertEqual(original.storedSHA256, String(repeating: "cd", count: 32))
        XCTAssertEqual(copy.storedSHA256, "")
        XCTAssertNil(copy.storedDigest)
        XCTAssertNotEqual(copy, original)
        XCTAssertEqual(Set([original, original, copy]).count, 2)
    }
}
