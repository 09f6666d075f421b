package dev.modelseal.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final List<Suppressed> suppressed = new ArrayList<>();
  private final Map<String, Path> filePaths = new LinkedHashMap<>();
  private PickleImport lastImport;
  private final long deadline;
  private final Set<String> outOfBudgetFiles = new HashSet<>();
  private long embeddedBytes;
  private String spent;
  private final java.util.Map<Path, String> externalData = new java.util.HashMap<>();

  private final java.util.Map<Path, ZarrChunks> zarrArrays = new java.util.HashMap<>();
  private Set<String> torchScriptModules = Set.of();

  /** Most external-data files remembered per scan. */
  static final int MAX_EXTERNAL_DATA = 65_536;

  /** Most zarr arrays remembered per scan. */
  static final int MAX_ZARR_ARRAYS = 65_536;

  /** How many directories above a file are looked at for the zarr array it is a chunk of. */
  static final int MAX_ZARR_DEPTH = 64;

  /**
   * The chunk file names of one zarr array (zarr v3's {@code chunk_key_encoding}, or v2's {@code
   * dimension_separator}), relative to the array's directory.
   */
  private record ZarrChunks(String metadataFile, boolean v3Default, char separator) {
    /** {@code c}, {@code c/0/1} or {@code c.0.1} (v3 default); {@code 0.1} or {@code 0/1} (v2). */
    boolean names(String relative) {
      String rest = relative;
      if (v3Default) {
        if (!relative.startsWith("c")) {
          return false;
        }
        if (relative.length() == 1) {
          return true; // a zero-dimensional array's one chunk
        }
        if (relative.charAt(1) != separator) {
          return false;
        }
        rest = relative.substring(2);
      }
      if (rest.isEmpty()) {
        return false;
      }
      boolean digit = false;
      for (int i = 0; i < rest.length(); i++) {
        char ch = rest.charAt(i);
        if (ch >= '0' && ch <= '9') {
          digit = true;
        } else if (ch == separator && digit) {
          digit = false;
        } else {
          return false;
        }
      }
      return digit;
    }
  }

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
    finding(content, rule, severity, detail, message, null);
  }

  /**
   * Reports a finding about a named {@code subject} (an op, a custom object) that an allowlist may
   * accept; a pickle import finding gets its global as subject from the import just recorded.
   */
  public void finding(
      Content content,
      String rule,
      Severity severity,
      String detail,
      String message,
      ScanAllowlist.Subject subject) {
    // One line whatever a rule quoted from the file: a raw control character (a name read from a
    // hostile model) becomes '?'; reports escape names again when they print them.
    Finding f =
        new Finding(rule, severity, content.file(), content.at(oneLine(detail)), oneLine(message));
    ImportRating rating = null;
    if (subject == null
        && rule.startsWith("pickle.")
        && lastImport != null
        && lastImport.file().equals(f.file())
        && lastImport.location().equals(f.location())) {
      subject =
          new ScanAllowlist.Subject(ScanAllowlist.Subject.Kind.GLOBAL, lastImport.qualifiedName());
      rating = lastImport.rating();
    }
    String allowed = scanner.allowlist().allows(subject, rating);
    if (allowed != null) {
      suppressed.add(new Suppressed(f, allowed));
    } else {
      findings.add(f);
    }
  }

  /** Work that may fail with an {@link IOException}. */
  @FunctionalInterface
  public interface IoWork {
    void run() throws IOException;
  }

  /**
   * Runs {@code work} (the scan of a TorchScript archive's members) with {@code modules} as the
   * modules the archive's {@code code/} folder defines ({@code torch.jit} for {@code
   * code/torch/jit.py}): {@code torch.jit.load}, the only loader of such an archive ({@code
   * torch.load} hands it over), resolves a pickle global of one of them to the TorchScript class
   * compiled from that source (itself scanned), never to a Python import. Nested archives see only
   * their own modules.
   */
  public void inTorchScriptArchive(Set<String> modules, IoWork work) throws IOException {
    Set<String> outer = torchScriptModules;
    torchScriptModules = Set.copyOf(modules);
    try {
      work.run();
    } finally {
      torchScriptModules = outer;
    }
  }

  /** True when the TorchScript archive being scanned defines {@code module} in its code. */
  public boolean definesTorchScriptModule(String module) {
    return torchScriptModules.contains(module);
  }

  /** Records a pickle import (the caller reports a finding too when it is not safe). */
  public void imported(PickleImport pickleImport) {
    imports.add(pickleImport);
    lastImport = pickleImport;
  }

  /** Records that {@code content} was deliberately not scanned. */
  public void skipped(Content content, String reason) {
    skipped.add(new Skipped(content.file(), content.location(), reason));
  }

  /**
   * Declares that the model file {@code model} reads {@code location} (relative to its directory,
   * not escaping it) as its own tensor data, as an ONNX model's {@code external_data} entries and a
   * TF.js weights manifest's {@code paths} do: if that file was scanned and no rule read it, it is
   * listed as skipped (data of the model) instead of {@code scan.unknown-format}. Anything a rule
   * found in it is kept. Only for a model that is a file given to the scanner or found in a
   * directory; ignored otherwise.
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

  /**
   * Declares that {@code metadata}, a zarr array's metadata file ({@code zarr.json} of zarr v3 or
   * {@code .zarray} of v2), makes its loader read the chunk files in its directory as the array's
   * bytes: a chunk file that no rule read, or a compressed one this scanner does not open ({@code
   * container.unsupported}: zstd, Blosc), is listed as skipped (a chunk of that array) instead of
   * unknown content; anything a rule found in it is kept. Chunk names follow the array's encoding
   * ({@code v3Default}: {@code c}, then indices joined by {@code separator}; else the indices
   * alone). Only for a metadata file given to the scanner or found in a directory.
   */
  public void zarrArray(Content metadata, boolean v3Default, char separator) {
    if (metadata.depth() != 0
        || metadata.path().isEmpty()
        || zarrArrays.size() >= MAX_ZARR_ARRAYS) {
      return;
    }
    Path dir = metadata.path().get().toAbsolutePath().normalize().getParent();
    if (dir != null) {
      zarrArrays.putIfAbsent(dir, new ZarrChunks(metadata.file(), v3Default, separator));
    }
  }

  /** The metadata file of the zarr array {@code file} is a chunk of, or null. */
  private String zarrArrayOf(Path file) {
    if (file == null || zarrArrays.isEmpty()) {
      return null;
    }
    Path dir = file.getParent();
    for (int i = 0; dir != null && i < MAX_ZARR_DEPTH; i++, dir = dir.getParent()) {
      ZarrChunks z = zarrArrays.get(dir);
      if (z != null) {
        String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        return z.names(rel) ? z.metadataFile() : null;
      }
    }
    return null;
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

  private final class Metered extends CountingInputStream {
    private final boolean embedded;

    Metered(InputStream in, boolean embedded) {
      super(in);
      this.embedded = embedded;
    }

    @Override
    void before() throws ScanLimitException {
      checkBudget();
    }

    @Override
    void count(long n) throws ScanLimitException {
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

  /** Remembers the file that holds the bytes scanned as {@code display}, for file digests. */
  void fileAt(String display, Path path) {
    filePaths.put(display, path);
  }

  /**
   * Moves the findings of every file whose SHA-256 the allowlist lists to the suppressed ones (only
   * files with findings are hashed; a file that cannot be hashed keeps its findings).
   */
  void applyFileDigests() {
    ScanAllowlist allow = scanner.allowlist();
    if (!allow.hasFileDigests() || findings.isEmpty()) {
      return;
    }
    Map<String, Boolean> accepted = new HashMap<>();
    List<Finding> kept = new ArrayList<>();
    for (Finding f : findings) {
      boolean ok =
          accepted.computeIfAbsent(
              f.file(),
              file -> {
                Path p = filePaths.get(file);
                return p != null && allow.allowsFile(sha256(p));
              });
      if (ok) {
        suppressed.add(new Suppressed(f, "allowlist file digest"));
      } else {
        kept.add(f);
      }
    }
    findings.clear();
    findings.addAll(kept);
  }

  private static String sha256(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "";
    }
  }

  ScanReport report(List<String> files) {
    List<Finding> kept = new ArrayList<>();
    List<Skipped> skips = new ArrayList<>(skipped);
    Set<String> chunksListed = new HashSet<>();
    for (Finding f : findings) {
      boolean unknown = f.rule().equals("scan.unknown-format");
      String model =
          unknown && f.location().isEmpty() ? externalData.get(absolute(f.file())) : null;
      String array =
          model == null
                  && (unknown
                      || (f.rule().equals("container.unsupported") && f.location().isEmpty()))
              ? zarrArrayOf(absolute(f.file()))
              : null;
      if (model != null) {
        skips.add(new Skipped(f.file(), "", "external tensor data of the model " + model));
      } else if (array != null) {
        if (chunksListed.add(f.file())) {
          skips.add(new Skipped(f.file(), "", "chunk of a zarr array (array bytes)"));
        }
      } else {
        kept.add(f);
      }
    }
    return new ScanReport(files, kept, imports, skips, errors, suppressed);
  }

  private static Path absolute(String file) {
    try {
      return Path.of(file).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  private static String oneLine(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7F) {
        if (sb == null) {
          sb = new StringBuilder(s);
        }
        sb.setCharAt(i, '?');
      }
    }
    return sb == null ? s : sb.toString();
  }
}
