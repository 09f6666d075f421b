package dev.modelseal.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link FormatRule} reports to while it scans: findings, pickle imports, skipped items, and
 * embedded content to route again ({@link #scanNested}). One context serves one scan; not
 * thread-safe.
 */
public final class ScanContext {
  private final ModelScanner scanner;
  private final List<Finding> findings = new ArrayList<>();
  private final List<PickleImport> imports = new ArrayList<>();
  private final List<Skipped> skipped = new ArrayList<>();
  private final List<ScanError> errors = new ArrayList<>();
  private final List<Path> temporary = new ArrayList<>();
  private final java.util.Map<Path, String> externalData = new java.util.HashMap<>();

  /** Most external-data files remembered per scan. */
  static final int MAX_EXTERNAL_DATA = 65_536;

  ScanContext(ModelScanner scanner) {
    this.scanner = scanner;
  }

  /** The limits of this scan. */
  public ScanLimits limits() {
    return scanner.limits();
  }

  /**
   * Reports a finding about {@code content}; {@code detail} adds to its location (may be empty).
   */
  public void finding(
      Content content, String rule, Severity severity, String detail, String message) {
    findings.add(new Finding(rule, severity, content.file(), content.at(detail), message));
  }

  /** Records a pickle import (the caller reports a finding too when it is not safe). */
  public void imported(PickleImport pickleImport) {
    imports.add(pickleImport);
  }

  /** Records that {@code content} was deliberately not scanned. */
  public void skipped(Content content, String reason) {
    skipped.add(new Skipped(content.file(), content.location(), reason));
  }

  /**
   * Declares that the model file {@code model} reads {@code location} (relative to its directory,
   * not escaping it) as its own tensor data, as an ONNX model's {@code external_data} entries do:
   * if that file was scanned and no rule read it, it is listed as skipped (data of the model)
   * instead of {@code scan.unknown-format}. Anything a rule found in it is kept. Only for a model
   * that is a file given to the scanner or found in a directory; ignored otherwise.
   */
  public void externalData(Content model, String location) {
    if (model.depth() != 0 || model.path().isEmpty() || externalData.size() >= MAX_EXTERNAL_DATA) {
      return;
    }
    Path dir = model.path().get().toAbsolutePath().getParent();
    if (dir == null) {
      return;
    }
    try {
      Path data = dir.resolve(location).normalize();
      if (data.startsWith(dir)) {
        externalData.putIfAbsent(data, model.file());
      }
    } catch (java.nio.file.InvalidPathException e) {
      // A location no file system can hold names no file that was scanned.
    }
  }

  void error(String file, String location, String reason) {
    errors.add(new ScanError(file, location, reason));
  }

  /**
   * Routes embedded content (an archive member, a decompressed stream, trailing bytes) like a file:
   * {@code location} names it inside {@code parent} ({@code member 'a/data.pkl'}); {@code role} is
   * what the parent format declares it to be. Content nested deeper than {@link ScanLimits#depth()}
   * is a finding, not scanned.
   */
  public void scanNested(
      Content parent, String location, long size, Content.Opener opener, Content.Role role) {
    scanner.routeNested(this, parent, parent.at(location), size, opener, role);
  }

  /**
   * A temporary file holding {@code content} (for formats read by position, such as a zip inside a
   * zip), at most {@link ScanLimits#streamBytes()} long; deleted when the scan ends.
   */
  public Path spill(Content content) throws IOException {
    if (content.path().isPresent()) {
      return content.path().get();
    }
    Path tmp = Files.createTempFile("modelseal-scan-", ".bin");
    temporary.add(tmp);
    try (InputStream in =
            new BoundedInputStream(content.open(), limits().streamBytes(), "nested content");
        OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
    }
    return tmp;
  }

  void deleteTemporary() {
    for (Path p : temporary) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // A temporary file left behind is not a scan result; the OS cleans its temp directory.
      }
    }
    temporary.clear();
  }

  ScanReport report(List<String> files) {
    List<Finding> kept = new ArrayList<>();
    List<Skipped> skips = new ArrayList<>(skipped);
    for (Finding f : findings) {
      String model =
          f.rule().equals("scan.unknown-format") && f.location().isEmpty()
              ? externalData.get(absolute(f.file()))
              : null;
      if (model == null) {
        kept.add(f);
      } else {
        skips.add(new Skipped(f.file(), "", "external tensor data of the ONNX model " + model));
      }
    }
    return new ScanReport(files, kept, imports, skips, errors);
  }

  private static Path absolute(String file) {
    try {
      return Path.of(file).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
