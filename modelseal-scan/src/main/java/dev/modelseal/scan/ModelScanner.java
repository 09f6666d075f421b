package dev.modelseal.scan;

import dev.modelseal.ModelsealException;
import dev.modelseal.pin.VerifiedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the code a model would run when loaded, without loading it. Files and directories are
 * routed by content (never by name) to the first {@link FormatRule} that claims them; archives,
 * compressed streams and embedded payloads are routed again, to {@link ScanLimits#depth()} levels.
 *
 * <p>Fail closed: content no rule claims is a {@code scan.unknown-format} finding (text and the
 * tensor data of a recognised format are listed as skipped instead); content that cannot be read or
 * parsed is a finding; a file that cannot be opened is an error of the report. An error or a
 * failure half-way never removes findings already made. Thread-safe: every scan has its own state.
 */
public final class ModelScanner {
  private final List<FormatRule> rules;
  private final ScanLimits limits;

  private ModelScanner(List<FormatRule> rules, ScanLimits limits) {
    this.rules = List.copyOf(rules);
    this.limits = limits;
  }

  /** A scanner with the built-in rules and default limits. */
  public static ModelScanner create() {
    return builder().build();
  }

  /** A builder starting from the built-in rules and default limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link ModelScanner}. */
  public static final class Builder {
    private final List<FormatRule> extra = new ArrayList<>();
    private ScanLimits limits = ScanLimits.defaults();

    private Builder() {}

    /** Uses {@code limits}. */
    public Builder limits(ScanLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Adds a format rule, tried before the built-in fallbacks that report recognised but
     * uninspected formats (so a rule for Keras HDF5 or TFLite replaces their "not inspected"
     * finding) and after the built-in rules for other formats.
     */
    public Builder rule(FormatRule rule) {
      extra.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * The scanner: the rules listed as {@link FormatRule} services (the built-in ones), then the
     * rules added here, then the services' {@linkplain FormatRule#fallback() fallback} rules.
     */
    public ModelScanner build() {
      List<FormatRule> inspecting = new ArrayList<>();
      List<FormatRule> fallbacks = new ArrayList<>();
      for (FormatRule r :
          ServiceLoader.load(FormatRule.class, ModelScanner.class.getClassLoader())) {
        (r.fallback() ? fallbacks : inspecting).add(r);
      }
      if (inspecting.isEmpty()) {
        throw new IllegalStateException(
            "no built-in scan rules on the class path (META-INF/services/"
                + FormatRule.class.getName()
                + ")");
      }
      List<FormatRule> all = new ArrayList<>(inspecting);
      for (FormatRule r : extra) {
        (r.fallback() ? fallbacks : all).add(r);
      }
      all.addAll(fallbacks);
      return new ModelScanner(all, limits);
    }
  }

  ScanLimits limits() {
    return limits;
  }

  /** Scans files and directories (directories recursively, symbolic links to files followed). */
  public ScanReport scan(List<Path> paths) {
    ScanContext ctx = new ScanContext(this);
    List<String> names = new ArrayList<>();
    try {
      for (Path p : paths) {
        names.add(p.toString());
        scanPath(ctx, p);
      }
    } finally {
      ctx.deleteTemporary();
    }
    return ctx.report(names);
  }

  /** Scans {@code paths}. */
  public ScanReport scan(Path... paths) {
    return scan(List.of(paths));
  }

  /**
   * Scans the verified bytes of {@code model} (its private copy or in-memory content, never the
   * original files) and returns the report.
   */
  public ScanReport scan(VerifiedModel model) {
    ScanContext ctx = new ScanContext(this);
    List<String> names = new ArrayList<>();
    try {
      for (String name : model.fileNames()) {
        String display = model.isSingleFile() ? model.modelName() : model.modelName() + "/" + name;
        names.add(display);
        Content.Opener opener =
            () -> {
              try {
                return model.openStream(name);
              } catch (ModelsealException e) {
                throw new IOException(e.getMessage(), e);
              }
            };
        Path path = model.directory().map(d -> d.resolve(name)).orElse(null);
        scanTop(ctx, display, opener, path, -1, Content.Role.ANY);
      }
    } finally {
      ctx.deleteTemporary();
    }
    return ctx.report(names);
  }

  /**
   * Scans the verified bytes of {@code model} and returns it as a {@link ScannedModel} when no
   * finding is at {@code failAt} or worse and every file could be read; throws {@link
   * UnsafeModelException} (naming the worst finding) otherwise.
   */
  public ScannedModel require(VerifiedModel model, Severity failAt) throws UnsafeModelException {
    ScanReport report = scan(model);
    List<Finding> bad = report.atLeast(failAt);
    if (!bad.isEmpty() || !report.complete()) {
      throw new UnsafeModelException(model.modelName(), report, failAt);
    }
    return new ScannedModel(model, report);
  }

  private void scanPath(ScanContext ctx, Path p) {
    if (Files.isDirectory(p)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(p)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      } catch (IOException | UncheckedIOException e) {
        ctx.error(p.toString(), "", "cannot list the directory: " + message(e));
        return;
      }
      List<Path> savedModels = new ArrayList<>();
      try (Stream<Path> s = Files.walk(p)) {
        s.filter(Files::isDirectory)
            .filter(d -> Files.isRegularFile(d.resolve("saved_model.pb")))
            .sorted()
            .forEach(savedModels::add);
      } catch (IOException | UncheckedIOException e) {
        ctx.error(p.toString(), "", "cannot list the directory: " + message(e));
        return;
      }
      for (Path f : files) {
        boolean inSavedModel = savedModels.stream().anyMatch(f::startsWith);
        scanFile(ctx, f, inSavedModel ? savedModelRole(f) : Content.Role.ANY);
      }
    } else if (Files.exists(p)) {
      scanFile(ctx, p, Content.Role.ANY);
    } else {
      ctx.error(p.toString(), "", "no such file or directory");
    }
  }

  /**
   * A SavedModel's variables shards ({@code variables/variables.data-NNNNN-of-NNNNN}) are tensor
   * bytes; every other file of the layout is routed and, when no rule reads it, reported.
   */
  private static Content.Role savedModelRole(Path f) {
    Path parent = f.getParent();
    String name = f.getFileName().toString();
    return parent != null
            && parent.getFileName() != null
            && parent.getFileName().toString().equals("variables")
            && name.startsWith("variables.data-")
        ? Content.Role.TENSOR_DATA
        : Content.Role.UNINSPECTED;
  }

  private void scanFile(ScanContext ctx, Path f, Content.Role role) {
    long size;
    try {
      size = Files.size(f);
    } catch (IOException e) {
      ctx.error(f.toString(), "", "cannot read: " + message(e));
      return;
    }
    scanTop(ctx, f.toString(), () -> Files.newInputStream(f), f, size, role);
  }

  private void scanTop(
      ScanContext ctx,
      String display,
      Content.Opener opener,
      Path path,
      long size,
      Content.Role role) {
    byte[] head;
    try (InputStream in = opener.open()) {
      head = in.readNBytes(Content.HEAD_BYTES);
    } catch (IOException e) {
      ctx.error(display, "", "cannot read: " + message(e));
      return;
    }
    route(ctx, new Content(display, "", size, opener, path, role, 0, head));
  }

  void routeNested(
      ScanContext ctx,
      Content parent,
      String location,
      long size,
      Content.Opener opener,
      Content.Role role) {
    int depth = parent.depth() + 1;
    Content probe =
        new Content(parent.file(), location, size, opener, null, role, depth, new byte[0]);
    if (depth > limits.depth()) {
      ctx.finding(
          probe,
          "scan.too-deep",
          Severity.MEDIUM,
          "",
          "nested more than " + limits.depth() + " levels deep; not scanned");
      return;
    }
    byte[] head;
    try (InputStream in = opener.open()) {
      head = in.readNBytes(Content.HEAD_BYTES);
    } catch (IOException e) {
      ctx.finding(probe, "scan.unreadable", Severity.MEDIUM, "", "cannot read: " + message(e));
      return;
    }
    route(ctx, new Content(parent.file(), location, size, opener, null, role, depth, head));
  }

  private void route(ScanContext ctx, Content c) {
    for (FormatRule rule : rules) {
      boolean claimed;
      try {
        claimed = rule.claims(c);
      } catch (IOException e) {
        ctx.finding(c, "scan.unreadable", Severity.MEDIUM, "", "cannot read: " + message(e));
        return;
      }
      if (!claimed) {
        continue;
      }
      try {
        rule.scan(c, ctx);
      } catch (ScanLimitException e) {
        ctx.finding(c, "scan.limit", Severity.MEDIUM, "", e.getMessage() + "; not fully scanned");
      } catch (IOException e) {
        ctx.finding(
            c,
            "scan.unreadable",
            Severity.MEDIUM,
            "",
            rule.format() + " content cannot be read to its end: " + message(e));
      } catch (RuntimeException e) {
        ctx.finding(
            c, "scan.internal-error", Severity.MEDIUM, "", rule.format() + " rule failed: " + e);
        ctx.error(c.file(), c.location(), "scanner failure: " + e);
      }
      return;
    }
    unrecognised(ctx, c);
  }

  private static void unrecognised(ScanContext ctx, Content c) {
    if (c.headLength() == 0) {
      ctx.skipped(c, "empty");
    } else if (c.role() == Content.Role.TENSOR_DATA) {
      if (c.depth() == 0) {
        ctx.skipped(c, "tensor data of the model layout (variables shard)");
      }
    } else if (looksLikeText(c)) {
      ctx.skipped(c, "text, not a model format");
    } else if (c.role() == Content.Role.UNINSPECTED) {
      ctx.finding(
          c,
          "scan.unknown-format",
          Severity.MEDIUM,
          "",
          "part of a model layout, but no format this scanner reads; not scanned (fail closed)");
    } else {
      ctx.finding(
          c,
          "scan.unknown-format",
          Severity.MEDIUM,
          "",
          "content is no format this scanner reads; not scanned (fail closed)");
    }
  }

  private static boolean looksLikeText(Content c) {
    for (int i = 0; i < c.headLength(); i++) {
      int b = c.headByte(i);
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) {
        return false;
      }
    }
    return true;
  }

  static String message(Exception e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
