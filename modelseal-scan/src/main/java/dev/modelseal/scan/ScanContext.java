package dev.modelseal.scan;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
  private final long deadline;
  private final Set<String> outOfBudgetFiles = new HashSet<>();
  private long embeddedBytes;
  private String spent;

  ScanContext(ModelScanner scanner) {
    this.scanner = scanner;
    this.deadline = System.nanoTime() + scanner.limits().time().toNanos();
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
    Path tmp = temporaryFile();
    try (InputStream in =
            new BoundedInputStream(content.open(), limits().streamBytes(), "nested content");
        OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
    }
    return tmp;
  }

  /**
   * Wraps a stream over content so that reading it counts against the scan's budgets: every read
   * checks the time budget ({@link ScanLimits#time()}), and bytes of embedded content count against
   * {@link ScanLimits#totalBytes()}. Past a budget, reads fail with {@link ScanLimitException}.
   */
  InputStream metered(InputStream in, boolean embedded) {
    return new Metered(in, embedded);
  }

  /** Fails with {@link ScanLimitException} once a budget of the scan is spent. */
  void checkBudget() throws ScanLimitException {
    if (spent == null && System.nanoTime() - deadline > 0) {
      spent = "the scan's time budget of " + limits().time().toSeconds() + " s ran out";
    }
    if (spent != null) {
      throw new ScanLimitException(spent);
    }
  }

  /**
   * True when a budget of the scan is spent, reporting it once per file (a {@code scan.limit}
   * finding on the first content of each file met afterwards, so no file is left out silently).
   */
  boolean outOfBudget(Content c) {
    try {
      checkBudget();
      return false;
    } catch (ScanLimitException e) {
      if (outOfBudgetFiles.add(c.file())) {
        finding(c, "scan.limit", Severity.MEDIUM, "", e.getMessage() + "; not scanned");
      }
      return true;
    }
  }

  private final class Metered extends FilterInputStream {
    private final boolean embedded;

    Metered(InputStream in, boolean embedded) {
      super(in);
      this.embedded = embedded;
    }

    @Override
    public int read() throws IOException {
      checkBudget();
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkBudget();
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      checkBudget();
      long k = super.skip(n);
      if (k > 0) {
        count(k);
      }
      return k;
    }

    private void count(long n) throws ScanLimitException {
      if (!embedded) {
        return;
      }
      embeddedBytes += n;
      if (embeddedBytes > limits().totalBytes() && spent == null) {
        spent =
            "more than "
                + limits().totalBytes()
                + " bytes of embedded content read in this scan (the scan's budget)";
      }
      checkBudget();
    }
  }

  /** A new empty temporary file, deleted when the scan ends. */
  Path temporaryFile() throws IOException {
    Path tmp = Files.createTempFile("modelseal-scan-", ".bin");
    temporary.add(tmp);
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
    return new ScanReport(files, findings, imports, skipped, errors);
  }
}
