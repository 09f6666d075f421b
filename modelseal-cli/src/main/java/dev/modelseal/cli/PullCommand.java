package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.PublishCheck;
import dev.modelseal.s3.PulledModel;
import dev.modelseal.s3.S3ModelSource;
import dev.modelseal.s3.S3Uri;
import dev.modelseal.scan.UnsafeModelException;
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

/**
 * {@code modelseal pull}: downloads a model from S3 (or an S3-compatible store), hashing while it
 * streams, and publishes the target directory atomically only when it matches.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Download s3://bucket/prefix or oci://REGISTRY/REPO:TAG|@sha256:DIGEST into DIR, verifying it"
          + " while it streams.",
      "The model is checked against an OMS signature, a pin or a lock file (oci://: with only a"
          + " trust option, the signature attached to the manifest). DIR appears (one"
          + " atomic rename) only when it matches; on any failure nothing is left behind and the"
          + " error names the object and the reason. A progress bar is shown when standard error"
          + " is a terminal, and each retried request is noted there in one line.",
      "SIGINT and SIGTERM remove the staging directory before the command exits; staging"
          + " directories of pulls that died (kill -9, power loss) are removed by the next pull."
    },
    footer = {
      "",
      "Exit codes: 0 pulled and verified, 1 not verified, 2 usage, input or transfer error,"
          + " 130 interrupted (SIGINT), 143 terminated (SIGTERM)."
    })
final class PullCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "URI",
      description = "s3://bucket/prefix or oci://REGISTRY/REPO:TAG of the model.")
  String location;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Where to publish.")
  Path to;

  @ArgGroup(multiplicity = "0..1")
  Expected expected;

  static final class Expected {
    @Option(
        names = "--signature",
        paramLabel = "URI|FILE",
        description =
            "OMS signature: an s3:// object or a local file (with --public-key,"
                + " --trust-anchor or --trusted-root, --identity and --issuer).")
    String signature;

    @Option(
        names = "--digest",
        paramLabel = "PIN",
        description = "The pin, pin:v1:sha256:HEX (second line of 'modelseal hash').")
    String digest;

    @Option(names = "--lock", paramLabel = "FILE", description = "A lock file from 'lock'.")
    Path lock;
  }

  @ArgGroup(multiplicity = "0..1")
  TrustOptions trust;

  @Option(
      names = "--ignore",
      paramLabel = "PATH",
      description = "Also leave out PATH (relative to the prefix; repeatable).")
  List<String> ignore = new ArrayList<>();

  @Option(
      names = CheckCommand.ALLOW_OMS_ROOT,
      description =
          "Accept a bare OMS root digest (sha256:HEX) for --digest, which does not bind file"
              + " names.")
  boolean allowOmsRoot;

  @Option(names = "--replace", description = "Replace DIR if it exists (see docs/deploy.md).")
  boolean replace;

  @Mixin ScanOptions scan = new ScanOptions();

  @Mixin S3CliOptions s3 = new S3CliOptions();

  @Mixin OciCliOptions oci = new OciCliOptions();

  @Mixin PolicyOption policy = new PolicyOption();

  @Option(
      names = "--require",
      paramLabel = "EXPR",
      description =
          "oci:// with --public-key: every attestation attached to the manifest and signed with"
              + " the key must be about the pulled bytes, and this condition ('f1>=0.90',"
              + " 'scan<=low', ...) must hold; checked on the verified copy before it is"
              + " published (repeatable).")
  List<String> requirements = new ArrayList<>();

  @Override
  public Integer call() throws ModelsealException {
    CommandLine cl = spec.commandLine();
    if (policy.given()) {
      if (trust != null
          || scan.enabled()
          || (expected != null && (expected.digest != null || expected.lock != null))) {
        throw new ParameterException(
            cl,
            "--policy takes the place of --digest, --lock, --scan and the trust options (its rule"
                + " sets them); --signature stays");
      }
      return PolicyRun.run("pull", location, policy.file, false, cl);
    }
    if (dev.modelseal.oci.OciReference.looksLikeOci(location)) {
      return pullOci(cl);
    }
    if (!requirements.isEmpty()) {
      throw new ParameterException(cl, "--require is for oci:// models (attached attestations)");
    }
    if (expected == null) {
      throw new ParameterException(
          cl, "Missing required argument (specify one of these): --signature, --digest, --lock");
    }
    S3Uri model = S3Uri.parse(location);
    List<String> ignore = HashOptions.remoteIgnores(this.ignore);
    if (expected.signature == null && trust != null) {
      throw new ParameterException(
          cl, "--public-key, --trust-anchor and --trusted-root go with --signature");
    }
    if (expected.signature != null && trust == null) {
      throw new ParameterException(
          cl, "--signature needs one of --public-key, --trust-anchor and --trusted-root");
    }
    PrintWriter out = cl.getOut();
    PublishCheck check = scan.enabled() ? scan.check(out, false, cl) : null;
    long t0 = System.nanoTime();
    try (S3ModelSource source = S3ModelSource.create(s3.options(cl.getErr(), "pulling"))) {
      ModelPin pin;
      String what;
      if (expected.signature != null) {
        pin =
            OmsVerifier.create(trust.policy(null, cl))
                .ignoring(ignore)
                .pin(source.model(model), expected.signature);
        what = "signature";
      } else if (expected.lock != null) {
        if (!ignore.isEmpty()) {
          throw new ParameterException(cl, "--lock carries its own ignore paths");
        }
        pin = ModelLock.read(expected.lock).pin(model.toString());
        what = "lock entry";
      } else {
        pin =
            CheckCommand.pinOf(expected.digest, allowOmsRoot)
                .ignoring(ignore.toArray(String[]::new));
        what = "pin";
      }
      try {
        PulledModel m = source.pull(model, pin, to, replace, check);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.println(
            "Pulled "
                + model
                + " to "
                + m.directory()
                + " ("
                + m.manifest().resources().size()
                + " files, "
                + m.bytes()
                + " bytes, "
                + m.rootDigest()
                + ", "
                + ms
                + " ms)");
        return Main.OK;
      } catch (ModelMismatchException e) {
        S3Commands.printMismatch(out, model, e, what);
        return Main.MISMATCH;
      } catch (UnsafeModelException e) {
        out.println("UNSAFE " + model + ": " + e.reason() + "; nothing published");
        return Main.MISMATCH;
      }
    }
  }

  /** {@code pull oci://...}: a trust option alone finds the signature attached to the manifest. */
  private int pullOci(CommandLine cl) throws ModelsealException {
    Expected e = expected != null ? expected : new Expected();
    if (e.signature == null && e.digest == null && e.lock == null && trust == null) {
      throw new ParameterException(
          cl,
          "oci:// needs --digest, --lock, or a trust option (--public-key, --trust-anchor or"
              + " --trusted-root) with an optional --signature FILE");
    }
    if ((e.digest != null || e.lock != null) && trust != null) {
      throw new ParameterException(
          cl, "--public-key and the other trust options go with signatures");
    }
    if (e.signature != null && trust == null) {
      throw new ParameterException(
          cl, "--signature needs one of --public-key, --trust-anchor and --trusted-root");
    }
    if (e.lock != null && !ignore.isEmpty()) {
      throw new ParameterException(cl, "--lock carries its own ignore paths");
    }
    PrintWriter out = cl.getOut();
    PublishCheck scanCheck = scan.enabled() ? scan.check(out, false, cl) : null;
    OciCommands.ResolvedCheck check = scanCheck == null ? null : (oci, model) -> scanCheck;
    if (!requirements.isEmpty()) {
      if (trust == null || trust.publicKey == null) {
        throw new ParameterException(
            cl, "--require needs --public-key (attached attestations are signed with a key)");
      }
      List<dev.modelseal.attest.Requirement> reqs =
          VerifyCommand.parseRequirements(requirements, cl);
      check =
          OciEvidence.pullCheck(
              out, dev.modelseal.keys.PemFiles.readPublicKey(trust.publicKey), reqs, scanCheck);
    }
    dev.modelseal.oms.OmsVerifier v =
        trust == null ? null : OmsVerifier.create(trust.policy(null, cl));
    return OciCommands.pull(
        out,
        location,
        to,
        new OciCommands.Expected(e.signature, e.digest, allowOmsRoot, e.lock),
        v,
        HashOptions.remoteIgnores(ignore),
        replace,
        check,
        oci.options(s3));
  }
}
