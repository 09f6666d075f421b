package dev.modelseal.formats.pickle;

import dev.modelseal.ModelIoException;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The tensor readers' consumer of the {@link PickleDecoder}: it builds an inert value tree of one
 * pickle (protocols 0 to 5) up to its {@code STOP}. Imports and calls are never performed: {@code
 * GLOBAL}, {@code INST}, {@code STACK_GLOBAL} and {@code EXT*} yield {@link PyGlobal} text,
 * recorded in {@link Result#imports()}; calls and persistent ids are handed to a {@link
 * PickleResolver}.
 *
 * <p>Guarantee: the input is read only up to {@code STOP}; the decoder checks every length against
 * {@link PickleLimits} and the bytes left before allocating and bounds opcode, stack and memo
 * counts; an argument crossing the end of its {@code FRAME} (which CPython's two loaders read
 * differently) is refused; any malformed, truncated or over-limit input is a {@link
 * FormatException} whose one-line message names the file, {@code what} was read and the opcode
 * offset. Not thread-safe; one machine per pickle.
 */
public final class PickleMachine implements PickleConsumer<FormatException> {
  private final Path file;
  private final String what;
  private final PickleResolver resolver;
  private final List<PickleImport> imports = new ArrayList<>();

  /**
   * The result of one pickle.
   *
   * @param value the value {@code STOP} returned
   * @param imports every global named, in order
   * @param length the bytes read, up to and including {@code STOP}
   * @param protocol the {@code PROTO} version, 0 or 1 when there is none
   */
  public record Result(Object value, List<PickleImport> imports, long length, int protocol) {}

  private PickleMachine(Path file, String what, PickleResolver resolver) {
    this.file = file;
    this.what = what;
    this.resolver = resolver;
  }

  /**
   * Interprets the pickle in {@code data}, which must end with its {@code STOP}.
   *
   * @param file the file, for errors
   * @param what what is read, for errors (for example {@code zip member 'archive/data.pkl'})
   */
  public static Result run(
      byte[] data, Path file, String what, PickleResolver resolver, PickleLimits limits)
      throws FormatException {
    Result r = run(new ByteArrayInputStream(data), data.length, file, what, resolver, limits);
    if (r.length() != data.length) {
      throw new MalformedModelException(
          file, what + " has " + (data.length - r.length()) + " bytes after the pickle's STOP");
    }
    return r;
  }

  /**
   * Interprets the pickle at the current position of {@code in}, reading no further than its {@code
   * STOP} and at most {@code length} bytes.
   */
  public static Result run(
      InputStream in,
      long length,
      Path file,
      String what,
      PickleResolver resolver,
      PickleLimits limits)
      throws FormatException {
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(limits, "limits");
    PickleMachine m = new PickleMachine(file, what, resolver);
    PickleInput input = PickleInput.exact(in, length);
    PickleDecoder<FormatException> d =
        new PickleDecoder<>(input, limits, m, PickleDecoder.Options.BUILD);
    Object v;
    try {
      v = d.decode();
    } catch (PickleException e) {
      throw m.translate(e);
    } catch (IOException e) {
      throw new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
    }
    return new Result(v, Collections.unmodifiableList(m.imports), input.offset(), d.protocol());
  }

  /** The reader's exception for a stop of the decoder. */
  private FormatException translate(PickleException e) {
    return switch (e.kind()) {
      case TRUNCATED ->
          new MalformedModelException(
              file, what + ": the pickle ends before its STOP (offset " + e.offset() + ")");
      case LIMIT ->
          new LimitExceededException(file, what + ": " + e.limitName(), e.actual(), e.limit());
      case UNSUPPORTED ->
          new UnsupportedModelException(
              file, what + ": " + e.getMessage() + " at offset " + e.offset());
      case MALFORMED ->
          new MalformedModelException(
              file, what + ": " + e.getMessage() + " (pickle offset " + e.offset() + ")");
    };
  }

  @Override
  public Object global(String module, String name, String opcode, long offset) {
    PyGlobal g = new PyGlobal(module, name);
    imports.add(new PickleImport(g, opcode, offset));
    return g;
  }

  @Override
  public Object unnamedGlobal(String opcode, String reason, long offset) throws PickleException {
    // Long names are limits before this; what is left is STACK_GLOBAL of non-strings.
    throw PickleException.malformed(opcode + " needs two strings", offset);
  }

  @Override
  public Object extension(long code, String opcode, long offset) {
    return global("copyreg.extension", Long.toString(code), opcode, offset);
  }

  @Override
  public Object call(Object callable, Object args, Object kwargs, String opcode, long offset)
      throws FormatException, PickleException {
    if (!(args instanceof PyTuple t)) {
      throw PickleException.malformed(
          opcode + " arguments are a " + PickleDecoder.typeName(args) + ", not a tuple", offset);
    }
    if (!(kwargs instanceof PyDict) && kwargs != PyNone.NONE) {
      throw PickleException.malformed(
          "NEWOBJ_EX keyword arguments are a " + PickleDecoder.typeName(kwargs), offset);
    }
    return resolver.call(new PickleResolver.Call(callable, t, kwargs, opcode, offset));
  }

  @Override
  public Object persistentLoad(Object pid, long offset) throws FormatException {
    return resolver.persistentLoad(pid, offset);
  }

  @Override
  public Object nextBuffer(long offset) throws PickleException {
    throw PickleException.unsupported("NEXT_BUFFER needs out-of-band buffers", offset);
  }

  @Override
  public Object build(Object target, Object state, Inline<FormatException> inline, long offset)
      throws FormatException, PickleException {
    if (target instanceof PyCall c) {
      c.addState(state);
    } else if (target instanceof PyDict d) {
      d.addState(state);
    } else {
      throw PickleException.malformed("BUILD on a " + PickleDecoder.typeName(target), offset);
    }
    return resolver.built(target, inlineData(inline));
  }

  private PickleResolver.InlineData inlineData(Inline<FormatException> inline) {
    return new PickleResolver.InlineData() {
      @Override
      public long offset() {
        return inline.offset();
      }

      @Override
      public long frameLeft() {
        return inline.frameLeft();
      }

      @Override
      public int read() throws FormatException {
        try {
          return inline.read();
        } catch (PickleException e) {
          throw translate(e);
        } catch (IOException e) {
          throw io(e, inline.offset());
        }
      }

      @Override
      public void skip(long n) throws FormatException {
        try {
          inline.skip(n);
        } catch (PickleException e) {
          throw translate(e);
        } catch (IOException e) {
          throw io(e, inline.offset());
        }
      }

      @Override
      public Object pickle() throws FormatException {
        try {
          return inline.pickle();
        } catch (PickleException e) {
          throw translate(e);
        } catch (IOException e) {
          throw io(e, inline.offset());
        }
      }
    };
  }

  private MalformedModelException io(IOException e, long offset) {
    if (e instanceof java.io.EOFException) {
      return new MalformedModelException(
          file, what + ": the pickle ends before its STOP (offset " + offset + ")");
    }
    return new MalformedModelException(file, what + ": " + ModelIoException.describe(e), e);
  }

  @Override
  public Object tuple(List<Object> items) {
    return items.isEmpty() ? PyTuple.EMPTY : new PyTuple(items);
  }

  @Override
  public Object list(List<Object> items) {
    PyList l = new PyList();
    items.forEach(l::add);
    return l;
  }

  @Override
  public Object dict(List<Object> keysAndValues) {
    PyDict d = new PyDict();
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      d.put(keysAndValues.get(i), keysAndValues.get(i + 1));
    }
    return d;
  }

  @Override
  public Object set(List<Object> items, boolean frozen) {
    PySet s = new PySet(frozen);
    items.forEach(s::add);
    return s;
  }

  @Override
  public boolean append(Object target, List<Object> items) {
    if (target instanceof PyList l) {
      items.forEach(l::add);
    } else if (target instanceof PyCall c) {
      items.forEach(c::addItem);
    } else {
      return false;
    }
    return true;
  }

  @Override
  public boolean setItems(Object target, List<Object> kv) {
    if (target instanceof PyDict d) {
      for (int i = 0; i < kv.size(); i += 2) {
        d.put(kv.get(i), kv.get(i + 1));
      }
    } else if (target instanceof PyCall c) {
      for (int i = 0; i < kv.size(); i += 2) {
        c.addItem(new PyTuple(List.of(kv.get(i), kv.get(i + 1))));
      }
    } else {
      return false;
    }
    return true;
  }

  @Override
  public boolean addItems(Object target, List<Object> items) {
    if (target instanceof PySet s && !s.isFrozen()) {
      items.forEach(s::add);
    } else if (target instanceof PyCall c) {
      items.forEach(c::addItem);
    } else {
      return false;
    }
    return true;
  }
}
