package dev.modelseal.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code fingerprint}, {@code scan}, {@code hash} and {@code diff} in this JVM over every file
 * named on the command line and prints one tab-separated line per run: command, exit code (or
 * {@code OOM}), the longest standard-error line in UTF-8 bytes, the file. Used by {@link
 * HostileInputHeapTest} in a JVM with a small heap.
 */
final class HeapDriver {
  /** The commands run over each file ({@code diff} compares the file with itself). */
  static final String[] COMMANDS = {"fingerprint", "scan", "hash", "diff"};

  private HeapDriver() {}

  public static void main(String[] args) {
    for (String file : args) {
      for (String cmd : COMMANDS) {
        StringWriter err = new StringWriter();
        String code;
        try {
          int c =
              Main.run(
                  cmd.equals("diff") ? new String[] {cmd, file, file} : new String[] {cmd, file},
                  new PrintWriter(PrintWriter.nullWriter()),
                  new PrintWriter(err, true));
          code = Integer.toString(c);
        } catch (OutOfMemoryError e) {
          code = "OOM";
        }
        int longest = 0;
        for (String line : err.toString().split("\n", -1)) {
          longest = Math.max(longest, line.getBytes(StandardCharsets.UTF_8).length);
        }
        if (err.toString().contains("OutOfMemoryError")) {
          code = "OOM";
        }
        System.out.println(cmd + "\t" + code + "\t" + longest + "\t" + file);
      }
    }
  }
}
