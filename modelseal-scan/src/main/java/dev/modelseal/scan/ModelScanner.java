package dev.modelseal.scan;

import dev.modelseal.ModelsealException;
import dev.modelseal.pin.VerifiedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

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
  private final ScanAllowlist allowlist;

  private ModelScanner(List<FormatRule> rules, ScanLimits limits, ScanAllowlist allowlist) {
    this.rules = List.copyOf(rules);
    this.limits = limits;
    this.allowlist = allowlist;
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
    private ScanAllowlist allowlist = ScanAllowlist.empty();

    private Builder() {}

    /**
     * Accepts what {@code allowlist} lists (its findings go to {@link ScanReport#suppressed()}).
     */
    public Builder allow(ScanAllowlist allowlist) {
      this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
      return this;
    }

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
      return new ModelScanner(all, limits, allowlist);
    }
  }

  ScanLimits limits() {
    return limits;
  }

  ScanAllowlist allowlist() {
    return allowlist;
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
      ctx.applyFileDigests();
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
      ctx.applyFileDigests();
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
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      ctx.error(p.toString(), "", "no such file or directory");
      return;
    } catch (IOException e) {
      ctx.error(p.toString(), "", "cannot read: " + message(e));
      return;
    }
    if (attrs.isDirectory()) {
      scanDirectory(ctx, p);
    } else if (attrs.isRegularFile()) {
      scanFile(ctx, p, attrs.size(), Content.Role.ANY);
    } else {
      scanSpecial(ctx, p);
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

  /**
   * Walks {@code dir} (symbolic links followed), scanning every regular file in name order. A
   * subdirectory that cannot be listed and a symbolic-link loop are errors of the report, the rest
   * of the directory is still scanned; a FIFO, socket or device inside it is a finding, never read
   * (it could block or never end) and never left out.
   */
  private void scanDirectory(ScanContext ctx, Path dir) {
    List<Path> files = new ArrayList<>();
    List<Path> special = new ArrayList<>();
    List<Path> savedModels = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
              if (Files.isRegularFile(d.resolve("saved_model.pb"))) {
                savedModels.add(d);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
              if (a.isRegularFile()) {
                files.add(f);
              } else if (a.isSymbolicLink()) {
                ctx.error(f.toString(), "", "symbolic link to nothing (a missing file)");
              } else if (!a.isDirectory()) {
                special.add(f);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              if (e instanceof FileSystemLoopException) {
                ctx.error(f.toString(), "", "symbolic link loop back to an enclosing directory");
              } else {
                ctx.error(f.toString(), "", "cannot read: " + message(e));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
              if (e != null) {
                ctx.error(d.toString(), "", "cannot list the directory: " + message(e));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | UncheckedIOException e) {
      ctx.error(dir.toString(), "", "cannot list the directory: " + message(e));
    }
    files.sort(null);
    special.sort(null);
    for (Path f : special) {
      Content c =
          new Content(
              f.toString(),
              "",
              -1,
              () -> InputStream.nullInputStream(),
              null,
              Content.Role.ANY,
              0,
              new byte[0]);
      ctx.finding(
          c,
          "scan.special-file",
          Severity.MEDIUM,
          "",
          SpecialFiles.kind(f)
              + " inside a directory is not read (it could block or never end); not scanned");
    }
    for (Path f : files) {
      boolean inSavedModel = savedModels.stream().anyMatch(f::startsWith);
      long size;
      try {
        size = Files.size(f);
      } catch (IOException e) {
        ctx.error(f.toString(), "", "cannot read: " + message(e));
        continue;
      }
      Content.Role role =
          bundleShard(f)
              ? Content.Role.TENSOR_DATA
              : inSavedModel ? savedModelRole(f) : Content.Role.ANY;
      scanFile(ctx, f, size, role);
    }
  }

  /**
   * A tensor bundle's data shard beside its index ({@code ckpt-1.data-00000-of-00001} next to
   * {@code ckpt-1.index}, a SavedModel's variables in a flat layout): raw tensor bytes.
   */
  private static boolean bundleShard(Path f) {
    String index = TensorBundleNames.indexOf(f.getFileName().toString());
    return index != null && Files.isRegularFile(f.resolveSibling(index));
  }

  /**
   * A FIFO, device or socket given directly ({@code /dev/stdin}, {@code <(...)}): it can be read
   * only once, so it is copied (at most {@link ScanLimits#streamBytes()}, giving up after {@link
   * ScanLimits#streamWait()} of silence) to a temporary file that is then scanned under its name.
   */
  private void scanSpecial(ScanContext ctx, Path p) {
    String display = p.toString();
    SpecialFiles.Copy copy;
    try {
      copy = SpecialFiles.copy(p, limits, ctx.temporaryFile());
    } catch (IOException e) {
      ctx.error(display, "", message(e));
      return;
    }
    Content head =
        new Content(
            display,
            "",
            -1,
            () -> InputStream.nullInputStream(),
            null,
            Content.Role.ANY,
            0,
            new byte[0]);
    if (copy.truncated()) {
      ctx.finding(
          head,
          "scan.limit",
          Severity.MEDIUM,
          "",
          SpecialFiles.kind(p)
              + " gives more than "
              + limits.streamBytes()
              + " bytes; only the first "
              + limits.streamBytes()
              + " were scanned");
    }
    Path file = copy.file();
    scanTop(ctx, display, () -> Files.newInputStream(file), file, copy.size(), Content.Role.ANY);
  }

  private void scanFile(ScanContext ctx, Path f, long size, Content.Role role) {
    scanTop(ctx, f.toString(), () -> Files.newInputStream(f), f, size, role);
  }

  private void scanTop(
      ScanContext ctx,
      String display,
      Content.Opener opener,
      Path path,
      long size,
      Content.Role role) {
    if (path != null) {
      ctx.fileAt(display, path);
    }
    Content.Opener metered = () -> ctx.metered(opener.open(), false);
    Content probe = new Content(display, "", size, metered, path, role, 0, new byte[0]);
    if (ctx.outOfBudget(probe)) {
      return;
    }
    byte[] head;
    try (InputStream in = opener.open()) {
      head = in.readNBytes(Content.HEAD_BYTES);
    } catch (IOException e) {
      ctx.error(display, "", "cannot read: " + message(e));
      return;
    }
    route(ctx, new Content(display, "", size, metered, path, role, 0, head));
  }

  void routeNested(
      ScanContext ctx,
      Content parent,
      String location,
      long size,
      Content.Opener opener,
      Content.Role role) {
    int depth = parent.depth() + 1;
    Content.Opener metered = () -> ctx.metered(opener.open(), true);
    Content probe =
        new Content(parent.file(), location, size, metered, null, role, depth, new byte[0]);
    if (ctx.outOfBudget(probe)) {
      return;
    }
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
    try (InputStream in = metered.open()) {
      head = in.readNBytes(Content.HEAD_BYTES);
    } catch (ScanLimitException e) {
      ctx.finding(probe, "scan.limit", Severity.MEDIUM, "", e.getMessage() + "; not scanned");
      return;
    } catch (IOException e) {
      ctx.finding(probe, "scan.unreadable", Severity.MEDIUM, "", "cannot read: " + message(e));
      return;
    }
    route(ctx, new Content(parent.file(), location, size, metered, null, role, depth, head));
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
