import Crypto
import Foundation

/// The AES-256 key of an encrypted backup, read from an environment variable or a key file and never
/// written anywhere.
///
/// The key text is 64 hexadecimal digits or base64 of 32 bytes (a raw key), or any other text (a passphrase,
/// stretched with HKDF-SHA256). Two subkeys are derived from it: one seals chunks with AES-256-GCM, one names
/// chunks with HMAC-SHA256 so that chunk names reveal nothing about their content.
/// - Important: `description` never shows the key.
public struct BackupKey: Sendable, CustomStringConvertible {
    let sealingKey: SymmetricKey
    let namingKey: SymmetricKey
    /// A short public fingerprint, stored in the manifest, that tells a wrong key from a corrupt chunk.
    public let fingerprint: String

    /// The environment variable read when the caller names none.
    public static let defaultEnvironmentVariable = "DBM_BACKUP_KEY"

    /// A key from its text form (hex, base64 or passphrase).
    public init(text: String) throws(BackupError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw BackupError(.missingKey, "the encryption key is empty") }
        let master: SymmetricKey
        if trimmed.count == 64, let bytes = Self.hexBytes(trimmed) {
            master = SymmetricKey(data: bytes)
        } else if let data = Data(base64Encoded: trimmed), data.count == 32 {
            master = SymmetricKey(data: data)
        } else {
            master = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(trimmed.utf8)),
                                            salt: Data("dbm-backup-passphrase".utf8), outputByteCount: 32)
        }
        sealingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("dbm-backup seal".utf8), outputByteCount: 32)
        namingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("dbm-backup name".utf8), outputByteCount: 32)
        let check = HMAC<SHA256>.authenticationCode(for: Data("dbm-backup key check".utf8), using: namingKey)
        fingerprint = Array(check).prefix(8).hexString
    }

    /// Reads the key from `keyFile` when given, else from the environment variable `environmentVariable`
    /// (default `DBM_BACKUP_KEY`).
    /// - Throws: `.missingKey` when neither holds a key.
    public static func load(environmentVariable: String?, keyFile: String?) throws(BackupError) -> BackupKey {
        if let keyFile, !keyFile.isEmpty {
            let path = (keyFile as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw BackupError(.missingKey, "the encryption key file \(keyFile) cannot be read")
            }
            return try BackupKey(text: text)
        }
        let name = environmentVariable ?? defaultEnvironmentVariable
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else {
            throw BackupError(.missingKey, "encryption needs a key: set \(name) or give encryption_key_file")
        }
        return try BackupKey(text: text)
    }

    public var description: String { "BackupKey(\(fingerprint))" }

    /// Seals a chunk with AES-256-GCM; the chunk's id is authenticated with it, so a chunk cannot be swapped.
    func seal(_ plaintext: [UInt8], chunkID: String) throws(BackupError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: sealingKey, authenticating: Data(chunkID.utf8))
            guard let combined = box.combined else { throw BackupError(.storage, "AES-GCM produced no output") }
            return Array(combined)
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError(.storage, "AES-GCM sealing failed")
        }
    }

    /// Opens a sealed chunk. Throws `.wrongKey` when the tag does not verify (wrong key or tampered chunk;
    /// the caller checked the stored hash first, so a tampered chunk is reported as corrupt before this).
    func open(_ sealed: [UInt8], chunkID: String) throws(BackupError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: sealingKey, authenticating: Data(chunkID.utf8)))
        } catch {
            throw BackupError(.wrongKey, "chunk \(chunkID.prefix(12)) does not decrypt with this key")
        }
    }

    /// The id of a plaintext chunk: HMAC-SHA256 under the naming key.
    func chunkDigest(for plaintext: [UInt8]) -> ChunkDigest {
        ChunkDigest(HMAC<SHA256>.authenticationCode(for: plaintext, using: namingKey))
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes = [UInt8]()
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = Hex.value(of: high), let l = Hex.value(of: low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }
}

import DatabaseDriver
