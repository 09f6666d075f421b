package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SpeculativeHash;
import dev.modelseal.s3.S3Uri;
import dev.modelseal.sigstore.SigstoreVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal verify}: checks an OpenSSF Model Signing (OMS v1.0) signature of a model. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a model's OpenSSF Model Signing v1.0 signature with a public key (key method),",
      "trust anchors (certificate method) or a Sigstore trusted root with an identity and",
      "issuer (keyless, offline). Names each modified, missing and extra file."
    },
    footer = {"", "Exit codes: 0 verified, 1 not verified, 2 usage or input error."})
final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PATH",
      description = "The model file or directory, or s3://bucket/prefix (checked in place).")
  Path model;

  @Option(
      names = "--signature",
      paramLabel = "SIG",
      description =
          "Signature file (default: PATH/model.sig for a directory, PATH.sig for a file).")
  Path signature;

  @ArgGroup(multiplicity = "1")
  Trust trust;

  static final class Trust {
    @Option(names = "--public-key", paramLabel = "PEM", description = "The signer's public key.")
    Path publicKey;

    @Option(
        names = "--trust-anchor",
        paramLabel = "PEM",
        description = "Trusted root certificate(s) for the certificate method (repeatable).")
    List<Path> anchors;

    @ArgGroup(exclusive = false)
    Keyless keyless;
  }

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

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description = "Also leave out PATH (relative to the model root; repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--ignore-unsigned-files",
      description = "Leave out files the signature does not list, instead of failing on them.")
  boolean ignoreUnsigned;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "Check certificate validity at TIME (ISO-8601, e.g. 2025-06-01T00:00:00Z) instead of"
              + " now: for historical bundles whose certificates have expired since.")
  String at;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--attestation",
      paramLabel = "FILE",
      description =
          "Verify a metric attestation (from 'attest') instead of a signature; needs"
              + " --public-key.")
  Path attestation;

  @Option(
      names = "--require",
      paramLabel = "EXPR",
      description = "With --attestation: a metric condition such as 'f1>=0.90' (repeatable).")
  List<String> requirements = new ArrayList<>();

  @Mixin S3CliOptions s3 = new S3CliOptions();

  @Option(
      names = "--scan",
      arity = "0..1",
      fallbackValue = "medium",
      paramLabel = "LEVEL",
      description =
          "Also scan the verified copy (docs/scanning.md); a finding at LEVEL (default medium)"
              + " or above refuses the model with exit code 1. An s3:// model is then downloaded"
              + " into a private temporary copy, verified, scanned and deleted.")
  String scan;

  /** Opens a verified handle, as each method's verifier offers. */
  private interface Opener {
    dev.modelseal.pin.VerifiedModel open(Path model, Path signature) throws ModelsealException;
  }

  @Override
  public Integer call() throws ModelsealException {
    if (attestation != null || !requirements.isEmpty()) {
      return AttestationCheck.run(this);
    }
    // A Path would fold the '//' of s3://; read the argument as typed.
    String typed = spec.commandLine().getParseResult().matchedPositional(0).stringValues().get(0);
    boolean remote = S3Uri.looksLikeS3(typed);
    List<String> ignores = remote ? ignore : HashOptions.relativeIgnores(model, ignore);
    VerificationReport.Checker checker;
    Opener opener;
    if (trust.keyless != null) {
      if (remote) {
        throw new ParameterException(
            spec.commandLine(), "keyless verification of s3:// models is not supported yet");
      }
      if (at != null) {
        throw new ParameterException(spec.commandLine(), "--at applies to --trust-anchor only");
      }
      SigstoreVerifier k =
          SigstoreVerifier.create(
                  trust.keyless.trustedRoot, trust.keyless.identity, trust.keyless.issuer)
              .ignoring(ignores);
      SigstoreVerifier kv =
          (ignoreUnsigned ? k.ignoreUnsignedFiles() : k)
              .withProgress(Progress.forTask("verifying"));
      checker = kv::check;
      opener = kv::open;
    } else {
      // Hash the model while the keys and the bundle are read and checked (used only when the
      // signed serialization hashes the same way; see SpeculativeHash).
      HashProgress progress = Progress.forTask("verifying");
      SpeculativeHash early =
          remote || ignoreUnsigned || scan != null
              ? null
              : SpeculativeHash.start(
                  model,
                  signature != null ? signature : OmsSigner.defaultSignaturePath(model),
                  ignores,
                  progress);
      OmsVerifier v;
      if (trust.publicKey != null) {
        v = OmsVerifier.withPublicKey(PemFiles.readPublicKey(trust.publicKey));
      } else {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path a : trust.anchors) {
          anchors.addAll(PemFiles.readCertificates(a));
        }
        v = OmsVerifier.withTrustAnchors(anchors);
      }
      if (at != null) {
        if (trust.publicKey != null) {
          throw new ParameterException(spec.commandLine(), "--at applies to --trust-anchor only");
        }
        try {
          v = v.at(Instant.parse(at));
        } catch (DateTimeParseException e) {
          throw new ParameterException(
              spec.commandLine(), "--at must be an ISO-8601 instant such as 2025-06-01T00:00:00Z");
        }
      }
      if (remote) {
        String sig =
            signature == null
                ? null
                : spec.commandLine()
                    .getParseResult()
                    .matchedOption("--signature")
                    .stringValues()
                    .get(0);
        return S3Commands.verify(
            spec.commandLine().getOut(), typed, sig, v, ignores, s3.options(), json, scan);
      }
      OmsVerifier verifier =
          (ignoreUnsigned ? v.ignoring(ignores).ignoreUnsignedFiles() : v.ignoring(ignores))
              .withProgress(progress);
      checker = (m, sg) -> verifier.check(m, sg, early);
      opener = verifier::open;
    }
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    PrintWriter out = spec.commandLine().getOut();
    Opener open = opener;
    VerificationReport.Checker effective =
        scan == null
            ? checker
            : (m, sg) -> ScanPolicy.verifyAndScan(() -> open.open(m, sg), scan, out, json);
    return VerificationReport.report(effective, model, sig, json, out);
  }
}
