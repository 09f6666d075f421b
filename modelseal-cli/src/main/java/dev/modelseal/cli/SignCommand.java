package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.walk.WalkOptions;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal sign}: writes an OpenSSF Model Signing (OMS v1.0) signature of a model. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a model as an OpenSSF Model Signing v1.0 bundle (files method, SHA-256).",
      "Key method by default; certificate method with --certificate (and --chain).",
      "A signature file inside the model directory (the default PATH/model.sig) is left out of"
          + " what is signed and recorded as an ignore path, so 'hash PATH' of the signed"
          + " directory differs from the signed root unless given --ignore model.sig."
    },
    footer = {"", "Exit codes: 0 signed, 2 usage or input error."})
final class SignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description =
          "The model file or directory, or oci://REGISTRY/REPO:TAG (signed from its layer digests,"
              + " the bundle attached to the manifest).")
  Path model;

  @Option(
      names = "--key",
      paramLabel = "PEM",
      description =
          "Private key: EC P-256/P-384/P-521, Ed25519 or RSA; PKCS#8, SEC1 or PKCS#1 PEM,"
              + " encrypted or not (or --pkcs11-uri).")
  Path key;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "File holding the private key's password (one trailing newline ignored).")
  Path passwordFile;

  @Option(
      names = "--certificate",
      paramLabel = "PEM",
      description = "Leaf certificate of the key: sign with the certificate method.")
  Path certificate;

  @Option(
      names = "--chain",
      paramLabel = "PEM",
      description = "Intermediate certificates, leaf's issuer first (repeatable).")
  List<Path> chain = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "SIG",
      description =
          "Signature file (default: PATH/model.sig for a directory, PATH.sig for a file).")
  Path output;

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description =
          "Leave out PATH (relative to the model root; repeatable); recorded in the"
              + " signature.")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--allow-symlinks",
      description = "Follow symbolic links that stay inside the model root.")
  boolean allowSymlinks;

  @Mixin Pkcs11Options pkcs11 = new Pkcs11Options();

  @Mixin TsaOptions.Sign tsa = new TsaOptions.Sign();

  @Mixin CacheOptions cache = new CacheOptions();
  @picocli.CommandLine.Mixin OciCliOptions oci = new OciCliOptions();

  @Option(
      names = "--append",
      paramLabel = "CLAIMS",
      description = "Also append the signature bundle to this claims.jsonl (atomically).")
  Path append;

  @Override
  public Integer call() throws ModelsealException {
    if (!chain.isEmpty() && certificate == null) {
      throw new ParameterException(spec.commandLine(), "--chain needs --certificate");
    }
    if ((key == null) == !pkcs11.given()) {
      throw new ParameterException(spec.commandLine(), "give --key or --pkcs11-uri (one of them)");
    }
    if (pkcs11.given()) {
      if (passwordFile != null) {
        throw new ParameterException(
            spec.commandLine(), "--password-file is for --key; the token's PIN goes in the URI");
      }
      try (dev.modelseal.pkcs11.Pkcs11Key token = pkcs11.open(spec.commandLine().getErr())) {
        VerificationKey certKey =
            certificate == null
                ? null
                : Pkcs11Options.keyOf(PemFiles.readCertificates(certificate).get(0));
        return sign(token.signingKey(certKey));
      }
    }
    char[] password = passwordFile == null ? null : PemFiles.readPassword(passwordFile);
    SigningKey signingKey;
    try {
      signingKey = PemFiles.readPrivateKey(key, password);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    return sign(signingKey);
  }

  private int sign(SigningKey signingKey) throws ModelsealException {
    OmsSigner signer;
    if (certificate != null) {
      List<X509Certificate> certs = new ArrayList<>(PemFiles.readCertificates(certificate));
      for (Path c : chain) {
        certs.addAll(PemFiles.readCertificates(c));
      }
      signer = OmsSigner.withCertificates(signingKey, certs);
    } else {
      signer = OmsSigner.withKey(signingKey);
    }
    signer = tsa.apply(signer, spec.commandLine());
    dev.modelseal.manifest.DigestCache c = cache.open(spec.commandLine().getErr());
    if (c != null) {
      signer = signer.withCache(c);
    }
    // A Path would fold the '//' of oci://; read the argument as typed.
    String typed = spec.commandLine().getParseResult().matchedPositional(0).stringValues().get(0);
    if (dev.modelseal.oci.OciReference.looksLikeOci(typed)) {
      if (output != null || allowSymlinks) {
        throw new ParameterException(
            spec.commandLine(), "oci://: the bundle is attached to the manifest (no -o, no links)");
      }
      return OciCommands.sign(
          spec.commandLine().getOut(),
          typed,
          signer,
          HashOptions.remoteIgnores(ignore),
          oci.options(null));
    }
    WalkOptions walk =
        WalkOptions.defaults()
            .allowSymlinks(allowSymlinks)
            .ignoring(HashOptions.relativeIgnores(model, ignore, spec.commandLine().getErr()));
    String claimsInside =
        append == null ? null : dev.modelseal.source.LocalModelSource.pathInside(model, append);
    if (claimsInside != null) {
      walk = walk.ignoring(List.of(claimsInside));
    }
    OmsSigner.Written w =
        signer.withProgress(Progress.forTask("signing")).write(model, output, walk);
    if (c != null) {
      c.save();
    }
    if (append != null) {
      dev.modelseal.attest.ClaimsFile.append(
          append, dev.modelseal.attest.ClaimsFile.compact(OmsBundleBytes.read(w.signature())));
    }
    PlainSign.print(
        spec.commandLine().getOut(),
        model,
        w,
        certificate != null ? "certificate" : "key",
        signingKey);
    return Main.OK;
  }
}
