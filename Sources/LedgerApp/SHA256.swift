import Crypto
import Foundation

/// SHA-256 through swift-crypto (BoringSSL's, on Linux): finding ids built from text agents
/// control (a 64-bit hash could be made to collide), and the stored form of session ids and API
/// tokens (random 256-bit values: their hash is all a stolen database gives away).
enum Digest {
    /// The digest as 64 lower-case hex digits.
    static func sha256Hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        Crypto.SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    /// `count` random bytes from the system's secure generator, as hex.
    static func randomHex(bytes count: Int = 32) -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
