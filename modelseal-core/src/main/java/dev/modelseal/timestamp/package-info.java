/**
 * RFC 3161 trusted timestamps over signatures, as Sigstore bundles carry them ({@code
 * verificationMaterial.timestampVerificationData.rfc3161Timestamps}): {@link
 * dev.modelseal.timestamp.TimestampAuthority} asks a time-stamping authority over HTTP for a token
 * over a signature's bytes, {@link dev.modelseal.timestamp.TimestampVerifier} checks a token
 * against trusted TSA roots and returns a {@link dev.modelseal.timestamp.VerifiedTimestamp}, the
 * only source of a verified time. Bouncy Castle's TSP classes parse and verify the tokens.
 */
package dev.modelseal.timestamp;
