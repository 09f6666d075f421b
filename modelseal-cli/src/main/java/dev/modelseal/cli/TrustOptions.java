package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.oms.KeylessVerification;
import dev.modelseal.oms.TrustPolicy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Whom to trust, shared by {@code verify} and {@code pull} as one exclusive picocli group: a public
 * key, trust anchors, or a keyless identity with its issuer and trusted root. Turns the options
 * into the library's {@link TrustPolicy}; no verification here.
 */
final class TrustOptions {
  @Option(names = "--public-key", paramLabel = "PEM", description = "The signer's public key.")
  Path publicKey;

  @Option(
      names = "--trust-anchor",
      paramLabel = "PEM",
      description = "Trusted root certificate(s) for the certificate method (repeatable).")
  List<Path> anchors;

  @ArgGroup(exclusive = false)
  Keyless keyless;

  /** The keyless options, all three required together. */
  static final class Keyless {
    @Option(
        names = "--trusted-root",
        required = true,
        paramLabel = "JSON",
        description = "Sigstore trusted_root.json for keyless bundles (verified offline).")
    Path trustedRoot;

    @Option(
        names = "--identity",
        required = true,
        paramLabel = "ID",
        description = "Keyless: the signer's identity (certificate SAN: e-mail or URI), exact.")
    String identity;

    @Option(
        names = "--issuer",
        required = true,
        paramLabel = "URL",
        description = "Keyless: the OIDC issuer of the signer's identity, exact.")
    String issuer;
  }

  /**
   * Reads the keys, anchors or trusted root and returns the policy.
   *
   * @param at the {@code --at} time (ISO-8601) for trust anchors, or null
   * @throws ParameterException when {@code --at} is given with another method or malformed
   */
  TrustPolicy policy(String at, CommandLine cl) throws ModelsealException {
    if (at != null && anchors == null) {
      throw new ParameterException(cl, "--at applies to --trust-anchor only");
    }
    if (publicKey != null) {
      return TrustPolicy.publicKey(PemFiles.readPublicKey(publicKey));
    }
    if (keyless != null) {
      TrustPolicy.Keyless k =
          TrustPolicy.keyless(keyless.trustedRoot, keyless.identity, keyless.issuer);
      KeylessVerification.installed().checkTrustedRoot(k);
      return k;
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (Path a : anchors) {
      certs.addAll(PemFiles.readCertificates(a));
    }
    TrustPolicy.CertificateChain chain = TrustPolicy.certificateChain(certs);
    if (at == null) {
      return chain;
    }
    try {
      return chain.at(Instant.parse(at));
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          cl, "--at must be an ISO-8601 instant such as 2025-06-01T00:00:00Z");
    }
  }
}
