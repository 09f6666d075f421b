package dev.modelseal.formats.onnx;

import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.Quoted;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorInfo;
import dev.modelseal.formats.TensorSource;
import dev.modelseal.formats.internal.RegionSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The external data files of one model, opened once each. A {@code location} must be a relative
 * path with {@code /} separators, without {@code ..} components, backslashes, colons or NUL; it is
 * resolved against the model's directory, and its real path (symbolic links followed) must be a
 * regular file inside the real path of that directory. Offsets and lengths are decimal digits only.
 */
final class ExternalFiles {
  private final Path model;
  private final List<Closeable> resources;
  private final Map<Path, FileChannel> open = new HashMap<>();
  private Path realDir;

  ExternalFiles(Path model, List<Closeable> resources) {
    this.model = model;
    this.resources = resources;
  }

  TensorSource source(TensorInfo info, TensorRecord r) throws ModelsealException {
    String what = "tensor " + Quoted.of(info.name()) + " external data";
    if (r.location == null) {
      throw bad(what + " has no location");
    }
    Path target = resolve(r.location, what);
    long offset = r.offset == null ? 0 : number(r.offset, what + " offset");
    FileChannel ch = channel(target, r.location);
    long size;
    try {
      size = ch.size();
    } catch (IOException e) {
      throw ModelIoException.of(target, e);
    }
    long length = r.length == null ? size - offset : number(r.length, what + " length");
    if (length != info.byteLength()) {
      throw bad(
          what
              + " has length "
              + length
              + " but its dtype and shape "
              + info.dtype()
              + info.shapeText()
              + " need "
              + info.byteLength());
    }
    if (offset > size || length > size - offset) {
      throw bad(
          what
              + " range "
              + offset
              + "+"
              + length
              + " is outside "
              + Quoted.of(r.location)
              + " ("
              + size
              + " bytes)");
    }
    return new RegionSource(info, ch, target, offset, false);
  }

  private Path resolve(String location, String what) throws ModelsealException {
    if (location.isEmpty()
        || location.charAt(0) == '/'
        || location.indexOf('\\') >= 0
        || location.indexOf(':') >= 0
        || location.indexOf('\0') >= 0) {
      throw bad(
          what
              + " location "
              + Quoted.of(location)
              + " must be a relative path inside the model directory");
    }
    int from = 0;
    while (from <= location.length()) {
      int slash = location.indexOf('/', from);
      int to = slash < 0 ? location.length() : slash;
      if (location.startsWith("..", from) && to - from == 2) {
        throw bad(what + " location " + Quoted.of(location) + " leaves the model directory (..)");
      }
      from = to + 1;
    }
    Path dir = model.toAbsolutePath().getParent();
    try {
      if (realDir == null) {
        realDir = dir.toRealPath();
      }
      Path real = dir.resolve(location).toRealPath();
      if (!real.startsWith(realDir) || real.equals(realDir)) {
        throw bad(
            what + " location " + Quoted.of(location) + " resolves outside the model directory");
      }
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw bad(what + " location " + Quoted.of(location) + " is not a regular file");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw bad(what + " file " + Quoted.of(location) + " does not exist");
    } catch (IOException e) {
      throw ModelIoException.of(model, e);
    }
  }

  private FileChannel channel(Path real, String location) throws ModelsealException {
    FileChannel ch = open.get(real);
    if (ch == null) {
      try {
        ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        throw ModelIoException.of(real, e);
      }
      resources.add(ch);
      open.put(real, ch);
    }
    return ch;
  }

  private long number(String s, String what) throws MalformedModelException {
    if (s.isEmpty() || s.length() > 18) {
      throw bad(what + " " + Quoted.of(s) + " is not a decimal number below 10^18");
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw bad(what + " " + Quoted.of(s) + " is not a decimal number");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private MalformedModelException bad(String reason) {
    return new MalformedModelException(model, reason);
  }
}
