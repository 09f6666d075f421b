package dev.modelseal.scan.attest;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.ScanStatement;
import dev.modelseal.attest.WeightsReader;
import dev.modelseal.digest.Digest;
import dev.modelseal.manifest.HashProgress;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.scan.Finding;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.closure.LoadClosure;
import dev.modelseal.walk.ModelWalker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Makes the {@link ScanStatement} of a model: hashes it, reads it into a private copy verified
 * against that manifest, scans exactly those bytes ({@link ModelScanner#scan(VerifiedModel)}) and
 * lists its load-time dependencies ({@link LoadClosure}); the statement records the scanner's
 * version and {@link #rulesDigest()}. The caller signs the statement.
 */
public final class ScanAttester {
  /** The built-in lists of the rules (generated op and object lists). */
  private static final List<String> LISTS =
      List.of(
          "dev/modelseal/scan/rules/keras-objects.txt",
          "dev/modelseal/scan/rules/onnx-ops.txt",
          "dev/modelseal/scan/rules/tf-ops.txt",
          "dev/modelseal/scan/rules/tfjs-ops.txt",
          "dev/modelseal/scan/rules/torch-nn-modules.txt");

  /** Classes holding the built-in allowlists and ratings of pickle imports. */
  private static final List<String> POLICY_CLASSES =
      List.of(
          "dev.modelseal.scan.pickle.ImportPolicy",
          "dev.modelseal.scan.ImportRating",
          "dev.modelseal.scan.ModelScanner");

  private final ModelScanner scanner;
  private final WeightsReader weights;
  private final HashProgress progress;

  private ScanAttester(ModelScanner scanner, WeightsReader weights, HashProgress progress) {
    this.scanner = scanner;
    this.weights = weights;
    this.progress = progress;
  }

  /** An attester scanning with {@code scanner}, digesting weights with {@code weights}. */
  public static ScanAttester create(ModelScanner scanner, WeightsReader weights) {
    return new ScanAttester(
        Objects.requireNonNull(scanner), Objects.requireNonNull(weights), HashProgress.NONE);
  }

  /** The same attester reporting hashing progress. */
  public ScanAttester withProgress(HashProgress p) {
    return new ScanAttester(scanner, weights, Objects.requireNonNull(p));
  }

  /** A scan and the statement of its result. */
  public record Result(ScanReport report, ScanStatement statement) {}

  /** Scans {@code model} (hashed with {@code s}) and states the result. */
  public Result scan(Path model, Serialization s) throws ModelsealException {
    Manifest m = ModelHasher.of(s).progress(progress).hash(ModelWalker.with(s.walk()).walk(model));
    try (VerifiedModel vm = ModelPin.of(m).withProgress(progress).open(model)) {
      return scan(vm);
    }
  }

  /**
   * Scans a model already verified into {@code vm} (a private copy, as a registry pull makes) and
   * states the result about {@code vm}'s manifest; the caller keeps and closes {@code vm}.
   */
  public Result scan(VerifiedModel vm) throws ModelsealException {
    ScanReport report = scanner.scan(vm);
    Optional<Digest> w = weights.contentDigest(vm);
    List<ScanStatement.Finding> findings = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (findings.size() == ScanStatement.MAX_FINDINGS) {
        break;
      }
      findings.add(
          new ScanStatement.Finding(
              f.rule(), f.severity().label(), f.file(), f.location(), f.message()));
    }
    List<ScanStatement.Dependency> deps = new ArrayList<>();
    Path dir = vm.directory().orElse(null);
    if (dir != null && !vm.isSingleFile()) {
      for (Map.Entry<String, LoadClosure.Dependency> e :
          LoadClosure.dependencies(dir, vm.fileNames())) {
        LoadClosure.Dependency d = e.getValue();
        deps.add(
            new ScanStatement.Dependency(
                d.name(), d.revision(), e.getKey(), d.field(), d.fetched()));
      }
    }
    String worst = report.worst().map(x -> x.label()).orElse("none");
    ScanStatement st =
        new ScanStatement(
            vm.modelName(),
            vm.manifest().root(),
            vm.manifest().pin(),
            vm.manifest().serialization(),
            w,
            version(),
            rulesDigest(),
            worst,
            report.complete(),
            report.findings().size(),
            findings,
            deps);
    return new Result(report, st);
  }

  /** The scanner's version (the jar's implementation version, or {@code development}). */
  public static String version() {
    String v = ModelScanner.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /**
   * The digest of the rule set: SHA-256 over, in name order, the class files of every rule found as
   * a {@link FormatRule} service and of the pickle import policy, then the built-in op and object
   * lists, each as its name, a NUL, its length and its bytes. Any change to a rule, a list or an
   * allowlist changes it.
   */
  public static Digest rulesDigest() {
    TreeSet<String> classes = new TreeSet<>(POLICY_CLASSES);
    for (FormatRule r : ServiceLoader.load(FormatRule.class, ModelScanner.class.getClassLoader())) {
      classes.add(r.getClass().getName());
    }
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<String> resources = new ArrayList<>();
    for (String c : classes) {
      resources.add(c.replace('.', '/') + ".class");
    }
    resources.addAll(LISTS);
    for (String r : resources) {
      byte[] b;
      try (InputStream in = ModelScanner.class.getClassLoader().getResourceAsStream(r)) {
        if (in == null) {
          throw new IllegalStateException("scanner resource missing: " + r);
        }
        b = in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException("scanner resource unreadable: " + r, e);
      }
      md.update(r.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Long.toString(b.length).getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(b);
    }
    return Digest.sha256(md.digest());
  }
}
