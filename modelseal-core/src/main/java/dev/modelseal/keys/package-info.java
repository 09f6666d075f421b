/**
 * Keys and certificates for signing and verifying: reading PEM files ({@link
 * dev.modelseal.keys.PemFiles}), the supported signature algorithms ({@link
 * dev.modelseal.keys.SignatureAlgorithm}), a private key that signs ({@link
 * dev.modelseal.keys.SigningKey}) and a public key that verifies ({@link
 * dev.modelseal.keys.VerificationKey}).
 *
 * <p>Guarantees: PEM parsing and decryption of encrypted private keys use Bouncy Castle's PKIX
 * library; every signature is made and checked by the JDK's providers (SunEC, SunRsaSign), never by
 * code of ours. Only EC P-256/P-384/P-521, Ed25519 and RSA of at least 2048 bits are accepted; any
 * other key is refused when it is read. Files are read with a size limit. Not checked here: whether
 * a key or certificate is trusted (see {@code dev.modelseal.oms}).
 */
package dev.modelseal.keys;
