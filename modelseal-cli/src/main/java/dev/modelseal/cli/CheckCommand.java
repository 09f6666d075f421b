package dev.modelseal.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ManifestComparison;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.pin.ModelLock;
import dev.modelseal.pin.ModelMismatchException;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.scan.UnsafeModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal check}: does a model still match its pinned digest or lock entry? */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check a model against its pin (from 'modelseal hash') or a lock file.",
      "With a lock file, each modified, missing and extra file is named. With --json the result"
          + " follows docs/schemas/check.v1.json (error.v1.json on exit code 2)."
    },
    footer = {"", "Exit codes: 0 match, 1 mismatch, 2 usage or input error."})
final class CheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @ArgGroup(multiplicity = "1")
  Expected expected;

  static final class Expected {
    @Option(
        names = "--digest",
        paramLabel = "PIN",
        description =
            "The pin, pin:v1:sha256:HEX (second line of 'modelseal hash'); it binds every file's"
                + " name, size and digest.")
    String digest;

    @Option(names = "--lock", paramLabel = "FILE", description = "A lock file from 'lock'.")
    Path lock;
  }

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = ALLOW_OMS_ROOT,
      description =
          "Accept a bare OMS root digest (sha256:HEX) for --digest. It does not bind file names:"
              + " files renamed so that their order stays the same keep it.")
  boolean allowOmsRoot;

  @Mixin HashOptions options = new HashOptions();

  @Mixin ScanOptions scan = new ScanOptions();

  @Override
  public Integer call() throws ModelsealException {
    ModelPin pin;
    if (expected.lock != null) {
      if (options.any()) {
        throw new ParameterException(
            spec.commandLine(), "--lock carries its own hash options; drop them");
      }
      pin = ModelLock.read(expected.lock).pin(model.toString());
    } else {
      pin = pinOf(expected.digest, allowOmsRoot).withSerialization(options.serialization(model));
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      ModelPin checking = pin.withProgress(Progress.forTask("checking"));
      Manifest m =
          scan.enabled()
              ? ScanPolicy.verifyAndScan(() -> checking.open(model), scan.scan, out, json)
              : checking.check(model);
      if (json) {
        ObjectNode o = result(true, pin, m, null);
        if (scan.enabled()) {
          JsonResults.scan(o, true, null);
        }
        out.println(Json.pretty(o));
      } else {
        out.println("OK " + model + " matches " + pin.expected());
      }
      return Main.OK;
    } catch (UnsafeModelException e) {
      if (json) {
        ObjectNode o = result(false, pin, null, null);
        o.put("failure", "SCAN");
        o.put("message", e.reason());
        JsonResults.scan(o, false, e.report());
        out.println(Json.pretty(o));
      } else {
        out.println("UNSAFE " + model + ": " + e.reason());
      }
      return Main.MISMATCH;
    } catch (ModelMismatchException e) {
      if (json) {
        out.println(Json.pretty(result(false, pin, null, e)));
      } else {
        out.println("MISMATCH " + model);
        out.println("  expected " + e.expected());
        out.println("  actual   " + e.actual());
        e.comparison().ifPresent(c -> printDiff(out, c));
      }
      return Main.MISMATCH;
    }
  }

  /** The flag that accepts a bare OMS root for {@code --digest}. */
  static final String ALLOW_OMS_ROOT = "--allow-oms-root";

  /**
   * The pin for a {@code --digest} value: a pin; or, with {@value #ALLOW_OMS_ROOT}, also a bare OMS
   * root. A root without the flag is refused, saying why.
   */
  static ModelPin pinOf(String digest, boolean allowOmsRoot) {
    if (!PinDigest.looksLikePin(digest) && PinDigest.isOmsRoot(digest)) {
      if (allowOmsRoot) {
        return ModelPin.ofOmsRoot(digest);
      }
      throw new IllegalArgumentException(
          "--digest "
              + digest
              + " is an OMS root digest, which does not bind file names (files renamed so that"
              + " their order stays the same keep it): give the pin:v1:sha256:... line of"
              + " 'modelseal hash', or "
              + ALLOW_OMS_ROOT
              + " to accept the root");
    }
    try {
      return ModelPin.of(PinDigest.parse(digest));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--digest: " + e.getMessage(), e);
    }
  }

  private static void printDiff(PrintWriter out, ManifestComparison c) {
    c.modified().forEach(f -> out.println("  modified " + f));
    c.missing().forEach(f -> out.println("  missing  " + f));
    c.extra().forEach(f -> out.println("  extra    " + f));
  }

  /**
   * The {@code check --json} result: {@code verified} is true only when the model matches (and,
   * with {@code --scan}, passed the scan); {@code actual} is present when it was computed.
   */
  private ObjectNode result(boolean ok, ModelPin pin, Manifest m, ModelMismatchException e) {
    ObjectNode o = JsonResults.of(JsonResults.CHECK);
    o.put("model", model.toString());
    o.put("verified", ok);
    o.put("expected", pin.expected());
    if (ok) {
      o.put("actual", pin.expected());
    } else if (e != null) {
      o.put("actual", e.actual());
    }
    if (m != null) {
      o.put("root", m.root().toString());
      o.put("pin", m.pin().toString());
      o.put("files", m.resources().size());
    }
    if (e != null) {
      o.put("failure", "MODEL_MISMATCH");
      o.put(
          "message",
          "the model does not match its " + (expected.lock != null ? "lock entry" : "pin"));
      e.comparison().ifPresent(c -> JsonResults.comparison(o, c));
    }
    return o;
  }
}
