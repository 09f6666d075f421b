package dev.modelseal.policy;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.oms.TrustPolicy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Whom a policy rule trusts: one signer's public key, trust anchors of the certificate method, or a
 * keyless (Sigstore) identity with its issuer and trusted root. File names are resolved against the
 * policy file's directory. {@link #trustPolicy} reads the files and gives the library's {@link
 * TrustPolicy}, the same one the command-line options give.
 */
public sealed interface PolicyTrust
    permits PolicyTrust.PublicKeyFile, PolicyTrust.TrustAnchors, PolicyTrust.Keyless {
  /** Reads the keys, certificates or trusted root this names. */
  TrustPolicy trustPolicy() throws ModelsealException;

  /** The key method: the signer's public key (PEM). */
  record PublicKeyFile(Path file) implements PolicyTrust {
    @Override
    public TrustPolicy trustPolicy() throws ModelsealException {
      return TrustPolicy.publicKey(PemFiles.readPublicKey(file));
    }
  }

  /** The certificate method: trusted root certificates (PEM files). */
  record TrustAnchors(List<Path> files) implements PolicyTrust {
    /** Copies the list. */
    public TrustAnchors {
      files = List.copyOf(files);
    }

    @Override
    public TrustPolicy trustPolicy() throws ModelsealException {
      List<X509Certificate> certs = new ArrayList<>();
      for (Path f : files) {
        certs.addAll(PemFiles.readCertificates(f));
      }
      return TrustPolicy.certificateChain(certs);
    }
  }

  /** Keyless: the exact identity and OIDC issuer, verified offline against a trusted root. */
  record Keyless(Path trustedRoot, String identity, String issuer) implements PolicyTrust {
    @Override
    public TrustPolicy trustPolicy() throws ModelsealException {
      return TrustPolicy.keyless(trustedRoot, identity, issuer);
    }
  }
}
