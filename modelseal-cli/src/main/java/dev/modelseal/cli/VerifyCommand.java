package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.Requirement;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.oms.SpeculativeHash;
import dev.modelseal.s3.S3Uri;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
      "Verify a model's OpenSSF Model Signing v1.0 signature, or a metric attestation.",
      "Trust a public key (key method), trust anchors (certificate method) or a Sigstore trusted"
          + " root with an identity and issuer (keyless, offline); PATH may be s3://bucket/prefix"
          + " or oci://REGISTRY/REPO:TAG (signature default: the bundle attached to the manifest)"
          + " for every method. Each modified, missing and extra file is named.",
      "With --json the result follows docs/schemas/verify.v1.json (verify-attestation.v1.json"
          + " with --attestation; error.v1.json on exit code 2)."
    },
    footer = {
      "",
      "Exit codes: 0 verified, 1 not verified (the model or its signature was changed, another"
          + " key signed it, a requirement or the scan failed), 2 the check could not be carried"
          + " out (missing, empty, malformed or oversized files, usage errors)."
    })
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

  @ArgGroup(multiplicity = "0..1")
  TrustOptions trust;

  @Mixin PolicyOption policy = new PolicyOption();

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description = "Also leave out PATH (relative to the model root; repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = "--ignore-unsigned-files",
      description =
          "Leave out files the signature does not list, instead of failing on them; each file"
              + " left out is listed.")
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
      description =
          "With --attestation, --claims or oci:// (the attached attestations): a condition such"
              + " as 'f1>=0.90', 'scan<=low' or 'dependencies==pinned' (repeatable).")
  List<String> requirements = new ArrayList<>();

  @Option(
      names = "--attestations",
      description =
          "oci://: also verify every attestation attached to the manifest (signed with"
              + " --public-key; other signers' are listed and not counted); implied by --require.")
  boolean attached;

  @Mixin ClaimsOption claims = new ClaimsOption();

  @Mixin S3CliOptions s3 = new S3CliOptions();

  @Mixin OciCliOptions oci = new OciCliOptions();

  @Mixin ScanOptions scan = new ScanOptions();

  @Mixin TsaOptions.Verify tsa = new TsaOptions.Verify();

  @Override
  public Integer call() throws ModelsealException {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    if (policy.given()) {
      if (trust != null
          || claims.file != null
          || attestation != null
          || !requirements.isEmpty()
          || scan.enabled()) {
        throw new ParameterException(
            cl,
            "--policy takes the place of the trust options, --scan, --claims, --attestation and"
                + " --require (its rule sets them)");
      }
      return PolicyRun.run(
          "verify",
          cl.getParseResult().matchedPositional(0).stringValues().get(0),
          policy.file,
          json,
          cl);
    }
    if (trust == null) {
      throw new ParameterException(
          cl,
          "Missing required argument (specify one of these): --public-key, --trust-anchor,"
              + " --trusted-root with --identity and --issuer, or --policy");
    }
    // A Path would fold the '//' of s3://; read the argument as typed.
    String typed = cl.getParseResult().matchedPositional(0).stringValues().get(0);
    boolean isOci = dev.modelseal.oci.OciReference.looksLikeOci(typed);
    boolean ociAttestations = isOci && (attached || !requirements.isEmpty());
    if (attached && !isOci) {
      throw new ParameterException(cl, "--attestations is for oci:// models");
    }
    if (ociAttestations) {
      if (trust.publicKey == null) {
        throw new ParameterException(
            cl,
            "attached attestations are verified with --public-key (they are signed with a key)");
      }
      if (attestation != null || claims.file != null || ignoreUnsigned) {
        throw new ParameterException(
            cl, "oci:// attestations take no --attestation, --claims or --ignore-unsigned-files");
      }
    } else if (claims.file != null) {
      return claims.run(this, cl, out);
    } else if (attestation != null || !requirements.isEmpty()) {
      return verifyAttestation(cl, out);
    }
    boolean remote = S3Uri.looksLikeS3(typed) || isOci;
    List<String> ignores =
        remote
            ? HashOptions.remoteIgnores(ignore)
            : HashOptions.relativeIgnores(model, ignore, cl.getErr());
    Path sig = signature != null ? signature : OmsSigner.defaultSignaturePath(model);
    // Hash the model while the keys and the bundle are read and checked (used only when the
    // signed serialization hashes the same way; see SpeculativeHash).
    HashProgress progress = Progress.forTask("verifying");
    SpeculativeHash early =
        remote || ignoreUnsigned || scan.enabled()
            ? null
            : SpeculativeHash.start(model, sig, ignores, progress);
    OmsVerifier v;
    try {
      v = OmsVerifier.create(trust.policy(at, cl)).ignoring(ignores).withProgress(progress);
      v = tsa.apply(v, at, cl);
    } catch (ModelsealException | RuntimeException e) {
      if (early != null) {
        early.cancel();
      }
      throw e;
    }
    if (ignoreUnsigned) {
      v = v.ignoreUnsignedFiles();
    }
    if (scan.enabled()) {
      v = v.checking(scan.check(out, json, cl));
    }
    if (remote) {
      String sigTyped =
          signature == null
              ? null
              : cl.getParseResult().matchedOption("--signature").stringValues().get(0);
      if (ociAttestations) {
        return OciEvidence.verify(
            out,
            typed,
            sigTyped,
            v,
            dev.modelseal.keys.PemFiles.readPublicKey(trust.publicKey),
            requirements(cl),
            oci.options(s3),
            json);
      }
      return isOci
          ? OciCommands.verify(out, typed, sigTyped, v, oci.options(s3), json)
          : S3Commands.verify(out, typed, sigTyped, v, s3.options(cl.getErr(), "verifying"), json);
    }
    OmsVerifier verifier = v;
    VerificationReport.IgnoredFiles lister =
        ignoreUnsigned ? m -> UnsignedFiles.list(model, sig, ignores, m) : null;
    return VerificationReport.report(
        (m, sg) -> verifier.check(m, sg, early),
        model,
        sig,
        json,
        out,
        new VerificationReport.Extras(scan.enabled(), lister));
  }

  /** {@code --attestation}: only with a public key, and none of the signature's options. */
  private int verifyAttestation(CommandLine cl, PrintWriter out) throws ModelsealException {
    if (attestation == null) {
      throw new ParameterException(cl, "--require needs --attestation");
    }
    if (trust.publicKey == null) {
      throw new ParameterException(cl, "--attestation needs --public-key");
    }
    if (signature != null || ignoreUnsigned || at != null || !ignore.isEmpty()) {
      throw new ParameterException(
          cl, "--attestation takes no --signature, --ignore, --ignore-unsigned-files or --at");
    }
    return AttestationCheck.run(
        model, attestation, trust.policy(null, cl), requirements(cl), json, out);
  }

  /** The parsed {@code --require} conditions. */
  List<Requirement> requirements(CommandLine cl) {
    return parseRequirements(requirements, cl);
  }

  /** {@code --require} conditions parsed; a malformed one is a usage error. */
  static List<Requirement> parseRequirements(List<String> exprs, CommandLine cl) {
    List<Requirement> reqs = new ArrayList<>();
    for (String r : exprs) {
      try {
        reqs.add(Requirement.parse(r));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(cl, e.getMessage());
      }
    }
    return reqs;
  }
}
