package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.pkcs11.Pkcs11Key;
import dev.modelseal.pkcs11.Pkcs11Pin;
import dev.modelseal.pkcs11.Pkcs11Uri;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * {@code --pkcs11-uri}: the signing key in a PKCS#11 token (HSM, SoftHSM, cloud KMS library), named
 * by an RFC 7512 URI. The PIN comes from the URI's {@code pin-source=file:}, its {@code pin-value}
 * (warned about: a command line is visible to other users) or {@code MODELSEAL_PKCS11_PIN}; it is
 * cleared after login.
 */
final class Pkcs11Options {
  @Option(
      names = "--pkcs11-uri",
      paramLabel = "URI",
      description =
          "Sign with a key in a PKCS#11 token: pkcs11:token=T;object=K?module-path=LIB"
              + "&pin-source=file:PINFILE (or the PIN in MODELSEAL_PKCS11_PIN). EC P-256/P-384"
              + " or RSA.")
  String uri;

  boolean given() {
    return uri != null;
  }

  /** Logs in to the token and returns the key (the caller closes it after signing). */
  Pkcs11Key open(PrintWriter err) throws ModelsealException {
    Pkcs11Uri u = Pkcs11Uri.parse(uri);
    if (u.hasPinValue()) {
      err.println(
          "modelseal: warning: pin-value puts the PIN on the command line; use"
              + " pin-source=file:PATH or "
              + Pkcs11Pin.ENVIRONMENT_VARIABLE);
    }
    char[] pin = Pkcs11Pin.resolve(u, System.getenv());
    try {
      return Pkcs11Key.open(u, pin);
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
  }

  /** The verification key of a certificate, for the certificate method. */
  static VerificationKey keyOf(java.security.cert.X509Certificate c) throws ModelsealException {
    return VerificationKey.of(c.getPublicKey());
  }
}
