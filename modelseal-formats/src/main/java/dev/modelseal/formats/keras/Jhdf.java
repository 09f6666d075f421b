package dev.modelseal.formats.keras;

import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls into io.jhdf with every failure it can raise on a hostile file (its {@code HdfException}s,
 * and the {@code IllegalArgumentException}, {@code BufferUnderflowException}, {@code
 * IndexOutOfBoundsException}, ... of its parsers, an allocation it cannot satisfy, a recursion it
 * cannot finish) turned into a {@link MalformedModelException} naming the file.
 */
final class Jhdf {
  private Jhdf() {}

  /** A call into jhdf. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws ModelsealException;
  }

  /** Runs {@code call}, wrapping jhdf's failures; our own exceptions pass through. */
  static <T> T call(Path file, String what, Call<T> call) throws ModelsealException {
    try {
      return call.run();
    } catch (ModelsealException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedModelException(file, what + ": invalid HDF5 (" + reason(e) + ")", e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      throw new MalformedModelException(
          file, what + ": invalid HDF5 (structure too large or too deep to read)", e);
    }
  }

  /**
   * The string values of attribute {@code name} of {@code node}: a string or an array of strings,
   * or, when the attribute is absent, the chunks {@code name0}, {@code name1}, ... that Keras
   * writes for attributes over 64 KiB; null when neither exists. An empty numeric array counts as
   * no strings (Keras writes {@code []} for a layer without weights).
   */
  static List<String> strings(Path file, Node node, String name, long maxBytes)
      throws ModelsealException {
    Attribute a = node.getAttributes().get(name);
    if (a != null) {
      List<String> out = new ArrayList<>();
      addStrings(file, a, name, maxBytes, out);
      return out;
    }
    if (node.getAttributes().get(name + "0") == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    long total = 0;
    for (int i = 0; ; i++) {
      Attribute chunk = node.getAttributes().get(name + i);
      if (chunk == null) {
        return out;
      }
      total += chunk.getSizeInBytes();
      LimitExceededException.check(file, "attribute " + Quoted.of(name) + " size", total, maxBytes);
      addStrings(file, chunk, name + i, maxBytes, out);
    }
  }

  /** The value of a scalar string attribute, or null when absent or not a string. */
  static String string(Path file, Node node, String name, long maxBytes) throws ModelsealException {
    Attribute a = node.getAttributes().get(name);
    if (a == null) {
      return null;
    }
    LimitExceededException.check(
        file, "attribute " + Quoted.of(name) + " size", a.getSizeInBytes(), maxBytes);
    Object v = a.getData();
    return v instanceof String s ? s : null;
  }

  private static void addStrings(
      Path file, Attribute a, String name, long maxBytes, List<String> out)
      throws ModelsealException {
    LimitExceededException.check(
        file, "attribute " + Quoted.of(name) + " size", a.getSizeInBytes(), maxBytes);
    if (a.isEmpty() || a.getSize() == 0) {
      return;
    }
    Object v = a.getData();
    if (v instanceof String s) {
      out.add(s);
      return;
    }
    if (v != null && v.getClass().isArray()) {
      int n = Array.getLength(v);
      if (n == 0) {
        return;
      }
      if (v instanceof String[] arr) {
        for (String s : arr) {
          if (s == null) {
            throw new MalformedModelException(
                file, "attribute " + Quoted.of(name) + " has a null string");
          }
          out.add(s);
        }
        return;
      }
    }
    throw new MalformedModelException(
        file, "attribute " + Quoted.of(name) + " is not a string or an array of strings");
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "unreadable structure";
    }
    int nl = m.indexOf('\n');
    m = nl >= 0 ? m.substring(0, nl) : m;
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}
