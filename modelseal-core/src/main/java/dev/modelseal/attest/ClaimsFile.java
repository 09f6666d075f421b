package dev.modelseal.attest;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A claims collection ({@code claims.jsonl}, the layout of OMS spec PR #5 "unified bundle layout
 * with claims.jsonl" and sigstore/model-transparency#587/#592): one compact JSON document per line,
 * each either a DSSE envelope of an in-toto statement (our attestations) or an OMS signature bundle
 * (a Sigstore bundle), appended as the model moves through its lifecycle. Bounded: at most {@value
 * #MAX_LINES} lines of at most {@value #MAX_LINE_BYTES} bytes, {@value #MAX_FILE_BYTES} bytes in
 * all. {@link #append} writes the whole new file atomically (rename) under an advisory lock (a file
 * in the temporary directory named by the claims file's path), so concurrent appenders never lose a
 * line and a reader never sees half a line.
 */
public final class ClaimsFile {
  /** The most lines read or written. */
  public static final int MAX_LINES = 1024;

  /** The longest line (an OMS bundle can be this large). */
  public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  /** The largest file. */
  public static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  /**
   * One line of the file.
   *
   * @param number its line number (1-based)
   * @param bytes its bytes, without the line end
   */
  public record Line(int number, byte[] bytes) {}

  private ClaimsFile() {}

  /**
   * Reads the lines of {@code file} (blank lines are skipped).
   *
   * @throws InvalidInputException when a bound is exceeded or the file is empty
   */
  public static List<Line> read(Path file) throws ModelsealException {
    byte[] all = readBounded(file);
    List<Line> lines = split(file, all);
    if (lines.isEmpty()) {
      throw new InvalidInputException(file, "the claims file holds no claim");
    }
    return lines;
  }

  private static List<Line> split(Path file, byte[] all) throws InvalidInputException {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int number = 0;
    for (int i = 0; i <= all.length; i++) {
      if (i == all.length || all[i] == '\n') {
        number++;
        int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
        if (end - start > MAX_LINE_BYTES) {
          throw new InvalidInputException(
              file, "line " + number + " is longer than " + MAX_LINE_BYTES + " bytes");
        }
        boolean blank = true;
        for (int j = start; j < end && blank; j++) {
          blank = all[j] == ' ' || all[j] == '\t';
        }
        if (!blank) {
          if (lines.size() == MAX_LINES) {
            throw new InvalidInputException(file, "more than " + MAX_LINES + " claims");
          }
          byte[] b = new byte[end - start];
          System.arraycopy(all, start, b, 0, b.length);
          lines.add(new Line(number, b));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  /**
   * Appends {@code claim} (one compact JSON document, no line break) as a new line, creating the
   * file if needed; atomic.
   *
   * @throws InvalidInputException when the claim holds a line break or a bound would be exceeded
   */
  public static void append(Path file, byte[] claim) throws ModelsealException {
    for (byte b : claim) {
      if (b == '\n' || b == '\r') {
        throw new InvalidInputException(file, "a claim must be one line");
      }
    }
    if (claim.length == 0 || claim.length > MAX_LINE_BYTES) {
      throw new InvalidInputException(file, "a claim must be 1 to " + MAX_LINE_BYTES + " bytes");
    }
    synchronized (ClaimsFile.class) { // a FileLock is per process; this orders this JVM's threads
      appendLocked(file, claim);
    }
  }

  private static void appendLocked(Path file, byte[] claim) throws ModelsealException {
    Path lock = lockFile(file);
    try (FileChannel ch =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.lock()) {
      byte[] old;
      try {
        old = readBounded(file);
      } catch (NoSuchFileInput e) {
        old = new byte[0];
      }
      if (split(file, old).size() >= MAX_LINES) {
        throw new InvalidInputException(file, "already holds " + MAX_LINES + " claims");
      }
      if ((long) old.length + claim.length + 2 > MAX_FILE_BYTES) {
        throw new InvalidInputException(file, "would grow beyond " + MAX_FILE_BYTES + " bytes");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(old.length + claim.length + 2);
      out.write(old);
      if (old.length > 0 && old[old.length - 1] != '\n') {
        out.write('\n');
      }
      out.write(claim);
      out.write('\n');
      AtomicFiles.write(file, out.toByteArray());
    } catch (IOException e) {
      throw ModelIoException.of(lock, e);
    }
  }

  /**
   * {@code json} (a DSSE envelope, a signature bundle) as one compact line, parsed strictly first.
   *
   * @throws IllegalArgumentException when it is not one JSON object
   */
  public static byte[] compact(byte[] json) {
    try {
      return StatementJson.WRITER.writeValueAsBytes(
          dev.modelseal.internal.StrictJson.parseObject(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the claim: " + e.getMessage());
    }
  }

  /**
   * The advisory lock of {@code file}: in the temporary directory, named by the SHA-256 of the
   * file's absolute path, so that no lock file appears beside the claims (often inside the model).
   */
  private static Path lockFile(Path file) {
    String abs = file.toAbsolutePath().normalize().toString();
    byte[] d;
    try {
      d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(abs.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("modelseal-claims-" + java.util.HexFormat.of().formatHex(d, 0, 16) + ".lock");
  }

  /** Thrown by {@link #readBounded} for a missing file, so {@link #append} can start one. */
  private static final class NoSuchFileInput extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    NoSuchFileInput(Path file) {
      super(file, "no such file");
    }
  }

  private static byte[] readBounded(Path file) throws ModelsealException {
    if (!Files.isRegularFile(file)) {
      if (Files.notExists(file)) {
        throw new NoSuchFileInput(file);
      }
      throw new InvalidInputException(file, "not a regular file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
      if (b.length > MAX_FILE_BYTES) {
        throw new InvalidInputException(file, "larger than " + MAX_FILE_BYTES + " bytes");
      }
      return b;
    } catch (NoSuchFileException e) {
      throw new NoSuchFileInput(file);
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
  }
}
